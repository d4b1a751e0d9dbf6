"""Builds the test world (linli.testing.world) with the worker and resident personas in the
database the environment names, and prints what the several-servers journey needs as JSON.
Run by tests/platform/multiserver.py; not a test itself."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from linli.hotline import services  # noqa: E402
from linli.testing.world import PASSWORD, build_world, make_persona  # noqa: E402

call_command("migrate", verbosity=0)
world = build_world()
services.categories_ensure_defaults(actor=services.SYSTEM, community_id=world.community.pk)
worker = make_persona("worker_a", world)
resident = make_persona("resident_user", world)
admin = make_persona("admin", world)
print(
    json.dumps(
        {
            "password": PASSWORD,
            "worker": worker.username,
            "admin": admin.username,
            "resident_login": "13800000001",
            "household": str(world.household_a1.public_id),
        }
    )
)
