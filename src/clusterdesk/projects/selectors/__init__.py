"""Reads of the labelling domain, one module per what they return: ``applications`` (who
sees which application, its file, totals, eligibility and the moves an actor may make),
``calls`` (the calls and their applications with totals), ``reviews`` (experts,
conflicts of interest, assignments, reviews and their comparison) and ``committee``."""
