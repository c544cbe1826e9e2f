"""Calls for projects, applications and their review, the labelling committee, funding."""
