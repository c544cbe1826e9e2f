"""Events and registrations."""
