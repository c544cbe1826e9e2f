"""Writes of the labelling domain, one module per entity: ``calls`` (calls and their
criteria), ``applications`` (the file, its consortium and documents, the labelled project),
``workflow`` (``application_transition``, the one service that moves an application),
``reviews`` (experts, conflicts, assignments, reviews), ``committee`` and ``funding``.

Every service is keyword-only, takes the acting ``User`` and checks its permission itself
(``projects.rules``) before anything else: ``NotVisible`` for an application the actor may
not see, ``NotAllowed`` for an act they may not make; data errors are ``ValidationError``.
"""
