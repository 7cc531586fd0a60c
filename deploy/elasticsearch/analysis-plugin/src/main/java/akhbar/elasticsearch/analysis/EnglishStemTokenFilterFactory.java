package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_english_stem}: Lucene's {@link PorterStemFilter}, the stemmer of Lucene's EnglishAnalyzer
 * and of the built-in {@code english} analyzer. Expects lower-cased input.
 */
@NamedComponent("akhbar_english_stem")
public class EnglishStemTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new PorterStemFilter(input);
    }
}
