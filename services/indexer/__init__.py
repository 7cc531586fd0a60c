"""Indexer service: enriched articles into Elasticsearch, behind the `articles` alias."""
