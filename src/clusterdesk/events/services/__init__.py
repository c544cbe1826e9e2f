"""Writes of the events domain, one module per entity: ``events`` (events and their
categories) and ``registrations`` (registering, cancelling, the waitlist, check-in)."""
