"""Prints, as one JSON line, what bench_platform.py's scenarios need from the demo database:
signed-in sessions of a grid worker and the community admin, a household of the worker's
grid, a category (and answers its questions need), and an Open311 api_key. Not a benchmark."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.hotline.models import Category  # noqa: E402
from linli.open311.models import Open311Client  # noqa: E402
from linli.registry.models import Community, Household  # noqa: E402


def session(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "linli.accounts.backends.LinliBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return str(store.session_key)


community = Community.objects.get(code="wenchang")
worker = User.objects.get(username="grid1")
admin = User.objects.get(username="wenchang_admin")
grid_id = worker.role_assignments.filter(grid__isnull=False).values_list("grid_id", flat=True)[0]
household = Household.objects.filter(building__grid_id=grid_id).order_by("id").first()
assert household is not None
category = Category.objects.filter(community=community, code="noise").first() or (
    Category.objects.filter(community=community, active=True).order_by("id").first()
)
assert category is not None
answers = {}
for q in category.questions or []:
    if q.get("required"):
        answers[q["key"]] = (q.get("choices") or ["1"])[0]
client = Open311Client(name="bench", community=community)
key = client.set_key()
client.save()
print(
    json.dumps(
        {
            "worker_session": session(worker),
            "admin_session": session(admin),
            "household": str(household.public_id),
            "community": str(community.pk),
            "category": str(category.pk),
            "category_code": category.code,
            "answers": json.dumps(answers) if answers else "",
            "open311_key": key,
        }
    )
)
