"""Numbers service: finds counts, percentages, dates and other numeric mentions in articles."""
