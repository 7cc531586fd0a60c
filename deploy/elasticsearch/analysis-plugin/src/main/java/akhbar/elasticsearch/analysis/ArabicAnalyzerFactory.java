package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalyzerFactory;

/**
 * {@code akhbar_arabic}: Lucene's {@link ArabicAnalyzer} with its defaults, i.e. the same analysis as
 * the built-in {@code arabic} analyzer: standard tokenizer, lowercase, decimal digit, Arabic stop
 * words, Arabic normalization, Arabic light stemming.
 */
@NamedComponent("akhbar_arabic")
public class ArabicAnalyzerFactory implements AnalyzerFactory {

    @Override
    public Analyzer create() {
        return new ArabicAnalyzer();
    }
}
