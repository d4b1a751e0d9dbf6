"""Settings and WSGI application of bench_platform.py's gunicorn servers: the production
settings, plain HTTP on 127.0.0.1, and bench_platform_urls. Not a benchmark itself."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    print("bench_platform_server.py is the server of bench_platform.py; run that instead.")
    sys.exit(0)

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_platform_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_platform_server")

# The production entry point (with its collector settings), on these settings.
from config.wsgi import application  # noqa: E402, F401
