"""The audit trail pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.audit_permissions import VIEW_AUDIT
from linli.core.models import AuditEvent
from linli.core.selectors import AuditFilters, audit_list
from linli.core.web import actor_of, query_date, require_perm


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW_AUDIT)
    filters = AuditFilters(
        action=request.GET.get("action", "")
        if request.GET.get("action") in AuditEvent.Action.values
        else "",
        object_type=request.GET.get("object_type", "")[:50],
        actor=request.GET.get("actor", "").strip()[:50],
        object_id=request.GET.get("object_id", "").strip()[:64],
        since=query_date(request.GET.get("since")),
        until=query_date(request.GET.get("until")),
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
