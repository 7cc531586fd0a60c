package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_english_possessive}: Lucene's {@link EnglishPossessiveFilter} (drops a trailing 's),
 * the first filter of Lucene's EnglishAnalyzer; with it a custom analyzer can rebuild that chain.
 */
@NamedComponent("akhbar_english_possessive")
public class EnglishPossessiveTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new EnglishPossessiveFilter(input);
    }
}
