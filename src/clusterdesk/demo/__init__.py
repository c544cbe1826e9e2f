"""The seeded demo world (``clusterdesk demo``); ``build.build_demo`` makes it."""
