"""The Akhbar pipeline services."""
