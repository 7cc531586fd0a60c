"""The `akhbar` command: local engines and services, ingest, status."""
