"""Innovation centre."""
