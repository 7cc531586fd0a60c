package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicStemFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_arabic_stem}: Lucene's light {@link ArabicStemFilter} (strips prefixes such as
 * ال / وال / بال and suffixes such as ين / ون / ات / ة). Expects normalized input, so put it after
 * {@code akhbar_arabic_normalization}.
 */
@NamedComponent("akhbar_arabic_stem")
public class ArabicStemTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new ArabicStemFilter(input);
    }
}
