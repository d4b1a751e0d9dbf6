"""Pages of notifications and notices: the inbox, preferences and the large-type switch, the
browser's push subscription, notices (residents read, staff publish and see read counts),
attachments, and failed text messages for staff."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from linli.core.forms import submit
from linli.core.permissions import has_perm
from linli.core.roles import Role
from linli.core.web import actor_of, query_page, require_perm
from linli.notify import channels, selectors, services
from linli.notify.forms import NoticeForm, PreferenceForm, PushForm
from linli.notify.kinds import RESIDENT_KINDS, STAFF_KINDS
from linli.notify.models import NoticeAttachment
from linli.notify.permissions import PUBLISH, READ_NOTICES, SEE_FAILURES, VIEW_NOTICES
from linli.registry import selectors as registry


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return default


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = Paginator(selectors.inbox(actor), 30).get_page(query_page(request.GET.get("page")))
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "query": "", "unread": selectors.unread_count(actor)},
    )


@login_required
def open_message(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a message marks it read and follows its link."""
    note = services.notification_read(actor=actor_of(request), notification_id=notification_id)
    target = note.url if note.url.startswith("/") and not note.url.startswith("//") else ""
    return redirect(target or "notify:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(actor=actor_of(request))
    return redirect("notify:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    pref = selectors.preference_of(actor)
    kinds = [
        *(RESIDENT_KINDS if Role.RESIDENT in actor.roles else ()),
        *(STAFF_KINDS if actor.roles - {Role.RESIDENT} else ()),
    ]
    form = PreferenceForm(
        request.POST or None,
        initial={
            "sms": pref.sms,
            "push": pref.push,
            "large_type": pref.large_type,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
        },
        kinds=kinds,
        muted=pref.muted_kinds or [],
    )
    if submit(request, form, lambda d: services.preference_set(actor=actor, **form.values())):
        return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "push_key": channels.push_public_key() if channels.push_configured() else "",
        },
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script. Served under /notify/ but allowed to control the whole site
    (`Service-Worker-Allowed: /`), never cached for long so an update reaches browsers."""
    response = render(request, "notify/sw.js", content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def large_type(request: HttpRequest) -> HttpResponse:
    services.large_type_toggle(actor=actor_of(request))
    return redirect(_safe_next(request))


@login_required
@require_POST
def push_subscription(request: HttpRequest) -> HttpResponse:
    """The browser's Push API subscription (JSON), or `{"endpoint": ..., "remove": true}`."""
    actor = actor_of(request)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return HttpResponseBadRequest("invalid subscription")
    raw_keys = data.get("keys")
    keys: dict[str, Any] = raw_keys if isinstance(raw_keys, dict) else {}
    form = PushForm(
        {
            "endpoint": str(data.get("endpoint", "")),
            "p256dh": str(keys.get("p256dh", "")),
            "auth": str(keys.get("auth", "")),
            "remove": bool(data.get("remove")),
        }
    )
    done = submit(
        request,
        form,
        lambda d: (
            services.push_unsubscribe(actor=actor, endpoint=d["endpoint"]) + 1
            if d["remove"]
            else services.push_subscribe(
                actor=actor, endpoint=d["endpoint"], p256dh=d["p256dh"], auth=d["auth"]
            )
        ),
    )
    if not done:
        return HttpResponseBadRequest("invalid subscription")
    return JsonResponse({"ok": True})


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW_NOTICES, READ_NOTICES)
    staff = has_perm(actor, VIEW_NOTICES)
    rows = selectors.notice_list(actor) if staff else selectors.notices_for_resident(actor)
    page = Paginator(rows, 20).get_page(query_page(request.GET.get("page")))
    return render(
        request,
        "notify/notices.html",
        {"page": page, "query": "", "staff": staff, "can_publish": has_perm(actor, PUBLISH)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PUBLISH)
    communities = selectors.publish_communities(actor, PUBLISH)
    grids = [(g.id, g.name) for g in registry.grid_list(actor) if g.community_id in communities]
    form = NoticeForm(request.POST or None, request.FILES or None, grids=grids)
    notice = submit(
        request,
        form,
        lambda d: services.notice_publish(
            actor=actor,
            community_id=communities[0],
            audience=d["audience"],
            title=d["title"],
            body=d["body"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            pinned=d["pinned"],
            grid_id=d["grid_id"],
            building_id=d["building_id"],
            tag=d["tag"] or "",
            attachments=d["attachments"],
        ),
    )
    if notice is not None:
        return redirect("notify:notice", notice.public_id)
    return render(request, "notify/notice_form.html", {"form": form})


@login_required
def notice_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    notice = selectors.notice_get(actor, public_id)
    staff = has_perm(actor, VIEW_NOTICES)
    if not staff:
        services.notice_mark_read(actor=actor, notice=notice)
    return render(
        request,
        "notify/notice_detail.html",
        {
            "notice": notice,
            "staff": staff,
            "attachments": list(notice.attachments.all()),
            "can_withdraw": has_perm(actor, PUBLISH) and notice.withdrawn_at is None,
        },
    )


@login_required
@require_POST
def notice_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    services.notice_withdraw(actor=actor_of(request), public_id=public_id)
    return redirect("notify:notices")


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    item = NoticeAttachment.objects.filter(pk=attachment_id).select_related("notice").first()
    if item is None:
        raise Http404
    selectors.notice_get(actor_of(request), item.notice.public_id)  # in scope, or 404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type, filename=item.name)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def failures(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, SEE_FAILURES)
    page = Paginator(selectors.failures(actor), 50).get_page(query_page(request.GET.get("page")))
    return render(request, "notify/failures.html", {"page": page, "query": ""})
