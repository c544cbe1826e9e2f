"""E-mails to people, one way for every domain: ``services.notify``."""
