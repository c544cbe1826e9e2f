"""Operations on a whole install (backups); imports Django and nothing of the domain."""
