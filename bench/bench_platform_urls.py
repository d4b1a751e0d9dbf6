"""The URLconf of bench_platform.py's servers: the product's URLs (of whichever checkout the
server runs) plus the baselines served the same way — a bare JSON endpoint that only asks
whether someone is signed in (anonymous: no query; signed in: the session and the user), a
bare single-row insert, and the same insert after looking its category up by code (issue 16's
own baseline). Not a benchmark itself."""

from __future__ import annotations

import datetime as dt
import json
import sys

if __name__ == "__main__":
    print("bench_platform_urls.py belongs to bench_platform.py; run that instead.")
    sys.exit(0)

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product
from linli.hotline.models import Category, ServiceRequest


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "signed_in": request.user.is_authenticated})


def _insert(
    description: str, community_id: int, category_id: int, priority: str, minutes: int
) -> JsonResponse:
    now = timezone.now()
    req = ServiceRequest.objects.create(
        community_id=community_id,
        category_id=category_id,
        priority=priority,
        channel="phone",
        description=description,
        submitted_at=now,
        period_month=now.date().replace(day=1),
        due_resolve_at=now + dt.timedelta(minutes=minutes),
    )
    return JsonResponse({"id": str(req.public_id)}, status=201)


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    return _insert(body["description"], body["community"], body["category"], "general", 3 * 1440)


@csrf_exempt
def bare_insert_lookup(request: HttpRequest) -> JsonResponse:
    """The bare insert as issue 16 defines it (bench/bench_hotline_urls.py): the category
    looked up by its code, then the row inserted with its priority and time limit."""
    body = json.loads(request.body or b"{}")
    category = Category.objects.get(community_id=body["community"], code=body["category"])
    return _insert(
        body["description"],
        category.community_id,
        category.pk,
        category.priority,
        category.resolve_minutes,
    )


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-insert/", bare_insert),
    path("bench/bare-insert-lookup/", bare_insert_lookup),
    *product,
]
