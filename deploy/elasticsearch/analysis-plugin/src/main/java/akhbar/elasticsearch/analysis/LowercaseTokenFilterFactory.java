package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_lowercase}: Lucene's {@link LowerCaseFilter} (locale-independent lower-casing). Given
 * so that index settings need nothing that only some distributions register.
 */
@NamedComponent("akhbar_lowercase")
public class LowercaseTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new LowerCaseFilter(input);
    }

    /** Also applied to the terms of wildcard, prefix and fuzzy queries. */
    @Override
    public TokenStream normalize(TokenStream input) {
        return create(input);
    }
}
