"""The audit trail pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.models import AuditEvent
from linli.core.permissions import has_perm
from linli.core.selectors import VIEW_AUDIT, AuditFilters, audit_list
from linli.core.web import request_actor


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not has_perm(actor, VIEW_AUDIT):
        raise Http404
    filters = AuditFilters(
        action=request.GET.get("action", "")
        if request.GET.get("action") in AuditEvent.Action.values
        else "",
        object_type=request.GET.get("object_type", "")[:50],
        actor=request.GET.get("actor", "").strip()[:50],
        object_id=request.GET.get("object_id", "").strip()[:64],
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
    )
    page = Paginator(audit_list(actor, filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "query": query.urlencode(),
        },
    )
