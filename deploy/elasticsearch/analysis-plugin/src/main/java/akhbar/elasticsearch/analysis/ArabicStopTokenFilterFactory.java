package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_arabic_stop}: removes the words of Lucene's default Arabic stop list
 * ({@link ArabicAnalyzer#getDefaultStopSet()}, the list behind the built-in {@code _arabic_} set).
 * The list is unnormalized (it spells إلى, أن, ...), so put this filter before
 * {@code akhbar_arabic_normalization}, as Lucene's ArabicAnalyzer does.
 */
@NamedComponent("akhbar_arabic_stop")
public class ArabicStopTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new StopFilter(input, ArabicAnalyzer.getDefaultStopSet());
    }
}
