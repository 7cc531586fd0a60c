# The official Elasticsearch image plus the akhbar-analysis plugin, so the index template that works
# locally (where the built-in Arabic filters are absent) works here unchanged.
ARG ELASTIC_VERSION=9.2.8
FROM maven:3.9-eclipse-temurin-21 AS plugin
WORKDIR /build
COPY deploy/elasticsearch/analysis-plugin ./
RUN mvn -q -B package -DskipTests

FROM docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}
COPY --from=plugin /build/target/akhbar-analysis-*.zip /tmp/akhbar-analysis.zip
RUN bin/elasticsearch-plugin install --batch file:///tmp/akhbar-analysis.zip
