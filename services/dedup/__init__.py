"""Dedup service: exact copies, shared passages and same-story clusters."""
