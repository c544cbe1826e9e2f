"""B2B brokerage meetings."""
