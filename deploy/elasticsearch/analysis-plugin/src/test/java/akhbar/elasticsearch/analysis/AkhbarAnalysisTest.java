package akhbar.elasticsearch.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;
import org.junit.jupiter.api.Test;

/** The factories as Elasticsearch would use them, without starting Elasticsearch. */
class AkhbarAnalysisTest {

    /** standard tokenizer, then the factories in order: the custom analyzer of the README. */
    private static final List<TokenFilterFactory> ARABIC_CHAIN = List.of(
        new LowercaseTokenFilterFactory(),
        new DecimalDigitTokenFilterFactory(),
        new ArabicStopTokenFilterFactory(),
        new ArabicNormalizationTokenFilterFactory(),
        new ArabicStemTokenFilterFactory()
    );

    private static final List<TokenFilterFactory> ENGLISH_CHAIN = List.of(
        new EnglishPossessiveTokenFilterFactory(),
        new LowercaseTokenFilterFactory(),
        new EnglishStopTokenFilterFactory(),
        new EnglishStemTokenFilterFactory()
    );

    private static List<String> terms(TokenStream stream) throws IOException {
        List<String> terms = new ArrayList<>();
        try (stream) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    private static List<String> chain(List<TokenFilterFactory> filters, String text) throws IOException {
        Tokenizer tokenizer = new StandardTokenizer();
        tokenizer.setReader(new StringReader(text));
        TokenStream stream = tokenizer;
        for (TokenFilterFactory filter : filters) {
            stream = filter.create(stream);
        }
        return terms(stream);
    }

    private static List<String> analyzer(Analyzer analyzer, String text) throws IOException {
        try (analyzer) {
            return terms(analyzer.tokenStream("body", text));
        }
    }

    @Test
    void arabicChainConflatesInflections() throws IOException {
        assertEquals(List.of("معارض", "معارض", "معارض"), chain(ARABIC_CHAIN, "والمعارضين المعارضة معارضة"));
        assertEquals(List.of("ادلب", "ادلب"), chain(ARABIC_CHAIN, "إدلب ادلب"));
        assertEquals(List.of("2016"), chain(ARABIC_CHAIN, "٢٠١٦"));
        assertEquals(List.of("سوريا"), chain(ARABIC_CHAIN, "في سوريا")); // في is a stop word
    }

    @Test
    void arabicAnalyzerEqualsTheChain() throws IOException {
        String text = "قال المعارضون في إدلب إنّ ٢٠١٦ كان عاماً صعباً على Syria's opposition";
        assertEquals(chain(ARABIC_CHAIN, text), analyzer(new ArabicAnalyzerFactory().create(), text));
    }

    @Test
    void englishAnalyzerEqualsTheChain() throws IOException {
        String text = "The Opposition's fighters are retreating from Idlib in 2016";
        List<String> expected = List.of("opposit", "fighter", "retreat", "from", "idlib", "2016");
        assertEquals(expected, chain(ENGLISH_CHAIN, text));
        assertEquals(expected, analyzer(new EnglishAnalyzerFactory().create(), text));
    }

    @Test
    void normalizingFiltersAlsoNormalize() throws IOException {
        UnaryOperator<TokenStream> normalize = s -> {
            for (TokenFilterFactory f : ARABIC_CHAIN) {
                s = f.normalize(s);
            }
            return s;
        };
        Tokenizer tokenizer = new org.apache.lucene.analysis.core.KeywordTokenizer();
        tokenizer.setReader(new StringReader("إدلب٢٠١٦"));
        // lowercase, digits and normalization apply to query terms too; stop and stem do not
        assertEquals(List.of("ادلب2016"), terms(normalize.apply(tokenizer)));
    }
}
