"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded now (Django, the apps, the URLconf and the views it imports) lives as long as
# the process, so the garbage collector's full collections need not walk it. Without this a
# full collection walked ~420,000 objects and held the worker ~140 ms, about once in 2,000
# requests: that request and the ones queued behind it (docs/operations.md).
import_module(settings.ROOT_URLCONF)
gc.freeze()
