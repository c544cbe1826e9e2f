"""Settings of the test suite: production's, with what tests need instead of secrets,
HTTPS and a worker."""

from __future__ import annotations

import os

os.environ.setdefault("CLUSTERDESK_SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)

from clusterdesk.settings import *  # noqa: F403
from clusterdesk.settings import MIDDLEWARE, STORAGES, TASKS

# Pages are requested over plain HTTP by the test client and the browser tests.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files straight from the package (no collectstatic).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Background tasks run at once, inside the test.
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
TASKS = {"default": {**TASKS["default"], "BACKEND": IMMEDIATE}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
