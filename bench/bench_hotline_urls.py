"""The URLconf of the intake benchmark's server: the product's URLs plus two baselines served
the same way — a bare Django JSON endpoint (parse the body, answer JSON) and a bare ORM insert
of the same request row without the desk's services. Not a benchmark itself."""

from __future__ import annotations

import json
import sys

if __name__ == "__main__":
    print("bench_hotline_urls.py belongs to bench_hotline_intake.py; run that instead.")
    sys.exit(0)

import datetime as dt

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as product
from linli.hotline.models import Category, ServiceRequest


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "echo": len(body)}, status=201)


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    category = Category.objects.get(code=body["category"])
    now = timezone.now()
    req = ServiceRequest.objects.create(
        community_id=category.community_id,
        category=category,
        priority=category.priority,
        channel="phone",
        description=body["description"],
        submitted_at=now,
        period_month=now.date().replace(day=1),
        due_resolve_at=now + dt.timedelta(minutes=category.resolve_minutes),
    )
    return JsonResponse({"id": str(req.public_id)}, status=201)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-insert/", bare_insert),
    *product,
]
