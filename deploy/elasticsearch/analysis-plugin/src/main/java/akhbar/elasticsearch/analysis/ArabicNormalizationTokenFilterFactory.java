package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_arabic_normalization}: Lucene's {@link ArabicNormalizationFilter} (hamza forms of alef
 * to bare alef, alef maksura to yeh, teh marbuta to heh; tatweel and diacritics removed), as the
 * built-in {@code arabic_normalization} filter does.
 */
@NamedComponent("akhbar_arabic_normalization")
public class ArabicNormalizationTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new ArabicNormalizationFilter(input);
    }

    /** Also applied to the terms of wildcard, prefix and fuzzy queries. */
    @Override
    public TokenStream normalize(TokenStream input) {
        return create(input);
    }
}
