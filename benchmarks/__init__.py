"""Benchmarks of the pipeline; `python -m benchmarks.run` is `make bench`."""
