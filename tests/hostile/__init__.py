"""The bad-input corpus, written at test time (see corpus.py): no large file is kept in the repository."""
