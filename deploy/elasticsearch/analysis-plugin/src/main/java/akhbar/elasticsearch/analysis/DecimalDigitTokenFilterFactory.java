package akhbar.elasticsearch.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/**
 * {@code akhbar_decimal_digit}: Lucene's {@link DecimalDigitFilter}, folding every Unicode decimal digit
 * (Arabic-Indic ٠-٩, extended Arabic-Indic ۰-۹, ...) to ASCII 0-9.
 */
@NamedComponent("akhbar_decimal_digit")
public class DecimalDigitTokenFilterFactory implements TokenFilterFactory {

    @Override
    public TokenStream create(TokenStream input) {
        return new DecimalDigitFilter(input);
    }

    /** Also applied to the terms of wildcard, prefix and fuzzy queries. */
    @Override
    public TokenStream normalize(TokenStream input) {
        return create(input);
    }
}
