"""Ingest service: turns dropped files into articles."""
