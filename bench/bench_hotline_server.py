"""Settings and WSGI application of the server `bench_hotline_intake.py` starts (gunicorn):
the production settings, plain HTTP on 127.0.0.1, and a URLconf that adds the bare baseline
endpoints (`bench_hotline_urls.py`) to the product's. Not a benchmark itself."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    print("bench_hotline_server.py is the server of bench_hotline_intake.py; run that instead.")
    sys.exit(0)

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_hotline_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["127.0.0.1"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_hotline_server")


from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
