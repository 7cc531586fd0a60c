package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_english_stop}: removes the words of Lucene's default English stop list
 * ({@link EnglishAnalyzer#getDefaultStopSet()}, the built-in {@code _english_} set). Expects
 * lower-cased input.
 */
@NamedComponent("akhbar_english_stop")
public class EnglishStopTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new StopFilter(input, EnglishAnalyzer.getDefaultStopSet());
    }
}
