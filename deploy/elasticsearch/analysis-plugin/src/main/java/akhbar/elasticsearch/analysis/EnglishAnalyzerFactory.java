package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.AnalyzerFactory;

/**
 * {@code akhbar_english}: Lucene's {@link EnglishAnalyzer} with its defaults, i.e. the same analysis as
 * the built-in {@code english} analyzer: standard tokenizer, English possessive, lowercase, English
 * stop words, Porter stemming.
 */
@NamedComponent("akhbar_english")
public class EnglishAnalyzerFactory implements AnalyzerFactory {

    @Override
    public Analyzer create() {
        return new EnglishAnalyzer();
    }
}
