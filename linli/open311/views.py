"""Open311 GeoReport v2 at `/open311/v2/` (http://wiki.open311.org/GeoReport_v2).

Every call answers in `.json` or `.xml` as its suffix says, with the spec's content types,
ISO 8601 times with the time zone, ids and codes as strings, and errors as the spec's error
list (400 / 403 / 404). `jurisdiction_id` is a community's code; it may be left out while the
server holds one community. Linli's statuses map to open / closed. No personal data leaves:
a request lists its category, status, dates and a coarse location (the building; lat/long
to about 100 m); its description only where the resident chose to publish it, anonymised
(a client with its api_key also reads, anonymised, the descriptions it filed itself);
callers are never shown.

These are plain Django views rather than a ninja router because the spec wants XML as well
as JSON and its own error shape.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from lxml import etree

from linli.core.db import insert
from linli.core.errors import DomainError, NotFound
from linli.core.permissions import Actor
from linli.hotline import services as hotline_services
from linli.hotline.choices import MAX_DESCRIPTION, Channel, QuestionKind, Status
from linli.hotline.errors import HotlineError
from linli.hotline.selectors import (
    Jurisdiction,
    PublicRequest,
    PublicRequestFilters,
    PublicService,
    jurisdiction,
    public_requests,
    public_services,
)
from linli.open311.models import Open311Client, Open311Token
from linli.open311.selectors import client_by_key

SPEC = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CHANGESET = "2026-03-01T00:00:00+08:00"
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
DATATYPES = {
    QuestionKind.TEXT: "string",
    QuestionKind.NUMBER: "number",
    QuestionKind.DATE: "datetime",
    QuestionKind.SINGLE: "singlevaluelist",
    QuestionKind.MULTIPLE: "multivaluelist",
}


class SpecError(Exception):
    """An error the spec lets a client see: HTTP status and description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _xml_value(parent: etree._Element, tag: str, value: Any) -> None:
    node = etree.SubElement(parent, tag)
    if isinstance(value, list):
        child_tag = {
            "values": "value",
            "attributes": "attribute",
            "formats": "format",
            "endpoints": "endpoint",
        }.get(tag, "item")
        for item in value:
            _xml_value(node, child_tag, item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(node, key, inner)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    elif value is not None:
        node.text = str(value)


def _respond(fmt: str, data: Any, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        top = etree.Element(root)
        if item is None:
            for key, value in data.items():
                _xml_value(top, key, value)
        else:
            for row in data:
                node = etree.SubElement(top, item)
                for key, value in row.items():
                    _xml_value(node, key, value)
        body = etree.tostring(top, xml_declaration=True, encoding="utf-8").decode()
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    rows = [{"code": status, "description": description}]
    return _respond(fmt, rows, "errors", "error", status=status)


def _spec_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn SpecErrors and domain errors into the spec's error list; never a 500 for input."""

    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, fmt, **kwargs)
        except SpecError as exc:
            return _error(fmt, exc.status, exc.description)
        except NotFound as exc:
            return _error(fmt, 404, exc.message)
        except DomainError as exc:
            if exc.code == HotlineError.UNKNOWN_CATEGORY:  # the desk checks service_code
                return _error(fmt, 400, _("service_code not found."))
            return _error(fmt, 403 if exc.status == 403 else 400, exc.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- jurisdiction, services -----------------------------------------------------------------


def _community(params: QueryDict, client: Open311Client | None = None) -> Jurisdiction:
    code = params.get("jurisdiction_id", "").strip()
    if client is not None:
        if code and code != client.community.code:
            raise SpecError(400, _("jurisdiction_id does not match this api_key."))
        community = client.community
        return Jurisdiction(id=community.pk, code=community.code, name=community.name)
    found = jurisdiction(code)
    if found is None:
        if code:
            raise SpecError(404, _("jurisdiction_id not found."))
        raise SpecError(400, _("jurisdiction_id was not provided."))
    return found


def _service(service: PublicService) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.questions),
        "type": "realtime",
        "keywords": service.group,
        "group": service.group,
    }


def _definition(category: PublicService) -> dict[str, Any]:
    attributes = []
    for order, q in enumerate(category.questions, start=1):
        attribute: dict[str, Any] = {
            "variable": True,
            "code": q["key"],
            "datatype": DATATYPES[q["kind"]],
            "required": bool(q.get("required")),
            "datatype_description": "",
            "order": order,
            "description": q["label"],
        }
        if q.get("choices"):
            attribute["values"] = [{"key": c, "name": c} for c in q["choices"]]
        attributes.append(attribute)
    return {"service_code": category.code, "attributes": attributes}


@require_GET
@_spec_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", ""),
        "key_service": _("Ask the community office for an api_key."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return _respond(fmt, data, "discovery", None)


@require_GET
@_spec_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    community = _community(request.GET)
    services = public_services(community.id)
    return _respond(fmt, [_service(c) for c in services], "services", "service")


@require_GET
@_spec_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    community = _community(request.GET)
    category = next((c for c in public_services(community.id) if c.code == code), None)
    if category is None:
        raise SpecError(404, _("service_code not found."))
    data = _definition(category)
    if fmt == "json":
        return _respond(fmt, data, "service_definition", None)
    top = etree.Element("service_definition")
    _xml_value(top, "service_code", data["service_code"])
    attributes = etree.SubElement(top, "attributes")
    for attribute in data["attributes"]:
        _xml_value(attributes, "attribute", attribute)
    body = etree.tostring(top, xml_declaration=True, encoding="utf-8").decode()
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt])


# --- requests -------------------------------------------------------------------------------


def _public(req: PublicRequest, agency: str) -> dict[str, Any]:
    """One request as the spec shows it: no caller, no household, no room, and the
    description only where the resident published it (or the asking client filed it)."""
    notes = ""
    if req.status == Status.MERGED:
        notes = _("Duplicate of request %(id)s.") % {"id": req.merged_into_id}
    elif req.status == Status.CANCELLED:
        notes = _("Withdrawn.")
    elif req.status in (Status.RESOLVED, Status.CLOSED):
        notes = _("Solved.")
    return {
        "service_request_id": str(req.id),
        "status": "open" if req.is_open else "closed",
        "status_notes": notes,
        "service_name": req.service_name,
        "service_code": req.service_code,
        "description": req.description,
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": _iso(req.requested_at),
        "updated_datetime": _iso(req.updated_at),
        "expected_datetime": _iso(req.expected_at) if req.is_open else "",
        "address": req.address,
        "address_id": "",
        "zipcode": "",
        "lat": str(req.lat) if req.lat is not None else "",
        "long": str(req.long) if req.long is not None else "",
        "media_url": "",
    }


def _date(params: QueryDict, name: str) -> dt.datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise SpecError(
            400,
            _("%(name)s must be a w3 date time, e.g. 2026-03-01T09:00:00+08:00.") % {"name": name},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _csv(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def _rows(
    community: Jurisdiction, filters: PublicRequestFilters, client: Open311Client | None
) -> list[PublicRequest]:
    """The requests for an anonymous reader or a client (who also reads, anonymised, the
    descriptions it filed itself)."""

    def own(ids: list[int]) -> set[int]:
        if client is None:
            return set()
        return set(
            Open311Token.objects.filter(client=client, request_id__in=ids).values_list(
                "request_id", flat=True
            )
        )

    return public_requests(community.id, filters, readable=own, description_limit=MAX_DESCRIPTION)


def _answer(fmt: str, community: Jurisdiction, rows: list[PublicRequest]) -> HttpResponse:
    data = [_public(r, community.name) for r in rows]
    return _respond(fmt, data, "service_requests", "request")


def _reader(params: QueryDict) -> Open311Client | None:
    """The client a GET names with its api_key (optional; a wrong key is refused)."""
    return _client(params) if params.get("api_key", "").strip() else None


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    client = _reader(params)
    community = _community(params, client)
    ids = _csv(params, "service_request_id")
    if ids:
        if not all(i.isdigit() and len(i) <= 18 for i in ids):
            raise SpecError(400, _("service_request_id must be numbers separated by commas."))
        wanted = PublicRequestFilters(ids=tuple(int(i) for i in ids[:MAX_RESULTS]))
        return _answer(fmt, community, _rows(community, wanted, client))
    start, end = _date(params, "start_date"), _date(params, "end_date")
    if start and end and end < start:
        raise SpecError(400, _("end_date is before start_date."))
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    statuses = _csv(params, "status")
    if any(s not in ("open", "closed") for s in statuses):
        raise SpecError(400, _("status must be open or closed."))
    filters = PublicRequestFilters(
        codes=tuple(_csv(params, "service_code")),
        start=start,
        end=end,
        state=statuses[0] if len(set(statuses)) == 1 else "",
        limit=MAX_RESULTS,
    )
    return _answer(fmt, community, _rows(community, filters, client))


def _client(params: QueryDict) -> Open311Client:
    client = client_by_key(params.get("api_key", "").strip())
    if client is None:
        raise SpecError(403, _("api_key was not provided or is invalid."))
    return client


def _attributes(params: QueryDict) -> dict[str, Any]:
    """`attribute[code]=value` and `attribute[code][]=value` (multi-value lists)."""
    answers: dict[str, Any] = {}
    for name in params:
        if not name.startswith("attribute[") or "]" not in name:
            continue
        code = name[len("attribute[") : name.index("]")]
        values = params.getlist(name)
        answers[code] = values if name.endswith("[]") or len(values) > 1 else values[0]
    return answers


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    client = _client(params)
    community = _community(params, client)
    code = params.get("service_code", "").strip()
    if not code:
        raise SpecError(400, _("service_code was not provided."))
    lat, long = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip() or params.get("address_id", "").strip()
    if (lat == "") != (long == ""):
        raise SpecError(400, _("lat and long must be given together."))
    if not lat and not address:
        raise SpecError(
            400, _("A location is required: lat and long, address_string or address_id.")
        )
    description = params.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise SpecError(400, _("description may be at most 4000 characters."))
    name = " ".join(
        part
        for part in (params.get("first_name", "").strip(), params.get("last_name", "").strip())
        if part
    )
    public = params.get("description_public", "").strip().lower() in ("true", "1", "yes")
    actor = Actor(user_id=None, label=f"Open311 · {client.name}"[:150])
    if not description.strip():  # the spec lets it out; the desk needs words: the service's name
        service = next((c for c in public_services(community.id) if c.code == code), None)
        description = service.name if service else code
    tokens: list[Open311Token] = []

    def record_token(filed: Any) -> None:  # the request (hotline's model, not imported here)
        # Commits with the request, in the filing's own short write transaction.
        tokens.append(insert(Open311Token(client=client, request=filed)))

    req = hotline_services.request_file(
        actor=actor,
        community_id=community.id,
        community_known=True,
        category_code=code,
        description=description,
        channel=Channel.OPEN311,
        location_text=address[:200],
        reporter_name=name[:50],
        reporter_phone=params.get("phone", ""),
        lat=lat or None,
        long=long or None,
        answers=_attributes(params),
        description_public=public,
        also_write=record_token,
    )
    token = tokens[0]
    rows = [
        {
            "service_request_id": str(req.pk),
            "token": str(token.token),
            "service_notice": "",
            "account_id": "",
        }
    ]
    return _respond(fmt, rows, "service_requests", "request", status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_spec_view
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@require_GET
@_spec_view
def request_one(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    client = _reader(request.GET)
    community = _community(request.GET, client)
    if not request_id.isdigit() or len(request_id) > 18:
        raise SpecError(404, _("service_request_id not found."))
    rows = _rows(community, PublicRequestFilters(ids=(int(request_id),)), client)
    if not rows:
        raise SpecError(404, _("service_request_id not found."))
    return _answer(fmt, community, rows)


@require_GET
@_spec_view
def token(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    found = (
        Open311Token.objects.filter(token=token_id).values_list("request_id", flat=True).first()
        if _is_uuid(token_id)
        else None
    )
    if found is None:
        raise SpecError(404, _("token not found."))
    rows = [{"service_request_id": str(found), "token": token_id}]
    return _respond(fmt, rows, "service_requests", "request")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
