"""Settings for the test suite: the production settings with plain static files, a fast
password hasher, HTTP allowed and huey running tasks immediately."""

import os

os.environ.setdefault("LINLI_HUEY_IMMEDIATE", "1")

from config.settings import *  # noqa: F403
from config.settings import HUEY, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Each test process has its own memo tokens, so that one process's sign-ins do not empty
# another's memory of them in the middle of a test (linli.core.memo).
MEMO_TOKEN_PREFIX = f"memo-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
HUEY["immediate"] = os.environ.get("LINLI_HUEY_IMMEDIATE", "1") == "1"

# Uploaded photos in tests (and the browser tests' server) go to a temporary folder.
if not os.environ.get("LINLI_MEDIA_ROOT"):
    import tempfile
    from pathlib import Path

    MEDIA_ROOT = Path(tempfile.gettempdir()) / "linli-test-media"
