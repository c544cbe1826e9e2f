"""SME support and experts."""
