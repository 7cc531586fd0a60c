/**
 * Akhbar's Elasticsearch analysis components, written against the stable plugin API.
 *
 * <p>Each class wraps one of Lucene's own analysis classes (from {@code lucene-core} and
 * {@code lucene-analysis-common}, which the server already ships in {@code lib/}) under an
 * {@code akhbar_*} name. The names are listed in {@code src/main/plugin/named_components.json}, which
 * the server reads at startup; {@code NamedComponentsFileTest} keeps that file and the
 * {@link org.elasticsearch.plugin.NamedComponent} annotations in step.
 *
 * <p>Rules of the stable API that every class here follows: a public class, exactly one public
 * constructor (no arguments, or annotated {@link org.elasticsearch.plugin.Inject}), and a
 * {@link org.elasticsearch.plugin.NamedComponent} annotation whose value is the name used in index
 * settings.
 */
package akhbar.elasticsearch.analysis;
