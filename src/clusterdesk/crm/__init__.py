"""The member CRM: organisations, memberships, contacts, interactions."""
