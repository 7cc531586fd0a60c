"""Code shared by the Akhbar services."""
