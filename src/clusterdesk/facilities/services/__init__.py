"""Writes of the innovation centre, one module per entity; each checks its permission first,
runs in one transaction and writes the audit log."""
