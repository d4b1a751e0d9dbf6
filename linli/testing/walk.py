"""The persona walk driven by the URL resolver (issue 9 item 7, issue 8 "keep proving it").

Every named route of the project — each page of every app's `urls.py`, every operation of the
JSON API under `/api/`, Open311 — is visited by every persona of `linli.testing.world` (and
`anonymous`) with objects of a test scene for its URL parameters:

- every GET answers one of `GET_STATUSES` (never a 5xx), the status a case expects for the persona
  when it names one, and never carries personal data the persona may not see (the world's plain
  IDs and phones; for readers without `registry.reveal_pii` a masked ID beside the birth date;
  any extra secret a scene registers);
- a route with URL parameters is also asked for objects that do not exist (the API also with
  malformed ones): a 4xx or the sign-in, never a 200 or a 5xx;
- every API write operation gets bad input (malformed JSON, a multipart body without a boundary,
  an object that does not exist) and must answer a 4xx with the API's JSON error body; every
  page gets a POST of junk in each of its form's fields and must not answer a 5xx (an invalid
  form is shown again with 200);
- a route with URL parameters and no case fails `coverage_problems()`, naming the route and
  the line to add.

Every request runs inside a savepoint that is rolled back, so nothing a request writes (a bad
input that was accepted after all, a sign-out) changes the scene for the next one.

Cases: each app may have `linli/<app>/tests/walk_cases.py`, found automatically, with

- `CASES`: a dict from route key to a `Case` (or a list of them). The key of a page is its URL
  name (`"party:organisation"`), of an API operation its path as the OpenAPI schema writes it
  (`"/api/party/organisations/{org_id}"`; one case serves every method of the path);
- `build(scene)` (optional): create the app's objects and return them (any object; cases read
  them as `scene.<app label>`, e.g. `s.party.branch_a`). Builders run in INSTALLED_APPS order;
- `SETTINGS` (optional): settings the app's objects need during the walk (e.g. a notifier);
- `KNOWN` (optional): `Known(...)` problems the walk finds today that an open issue is fixing
  (warned about, not failed, until fixed; then reported stale).

A missing case is one line, e.g.
`"party:organisation_edit": Case(lambda s: {"org_id": s.party.branch_a.pk}),`.
A route without URL parameters is walked without a case; give it one to add expectations.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from linli.accounts.models import User
from linli.accounts.selectors import actor_for_user
from linli.core.permissions import Actor, has_perm
from linli.testing.pii import Person, find_plain_pii, people_of
from linli.testing.world import ANONYMOUS, PERSONAS, World, build_world, make_persona

WALKERS: tuple[str, ...] = (*PERSONAS, ANONYMOUS)

# What a GET may answer. 401 is the API's answer to nobody signed in; 422 its answer to a query
# parameter it cannot parse.
GET_STATUSES = frozenset({200, 302, 400, 401, 403, 404, 405, 422})
# What a request with bad input may answer (pages: an invalid form is shown again with 200; a
# POST whose junk happened to be acceptable redirects).
PAGE_POST_STATUSES = frozenset({200, 302, 400, 403, 404, 405, 409, 413, 415, 422})
API_BAD_INPUT_STATUSES = frozenset({400, 401, 403, 404, 405, 409, 413, 415, 422})
MISSING_STATUSES = frozenset({302, 400, 401, 403, 404, 405, 422})

LOGIN = -1  # in `expect`: the sign-in answer (302 to the sign-in page, 401 from the API)

# Whose own plain values a persona may see (the resident his own record, e.g. on "my account"),
# and whose masked ID beside the birth date (the resident's family: he knows their birthdays).
PLAIN_ALLOWED: dict[str, set[str]] = {"resident_user": {"a1"}}
FAMILY: dict[str, set[str]] = {"resident_user": {"a1", "a1_child"}}
REVEAL_PII = "registry.reveal_pii"

JUNK = "'\"><§-1x"  # not a number, a date, a UUID, a choice or a phone
CSRF_SECRET = "walkWALKwalkWALKwalkWALKwalkWALK"  # 32 characters: a CSRF secret
SKIP_NAMESPACES = frozenset({"admin"})  # Django's own admin: staff only, not Linli's pages
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- cases ------------------------------------------------------------------------------------


def sees(*personas: str, ok: int = 200, other: int = 404, anonymous: int = LOGIN) -> dict[str, int]:
    """`expect=` for an object only `personas` may open: `ok` for them, `other` for the rest of
    the personas, `anonymous` (the sign-in answer by default) for nobody signed in."""
    unknown = set(personas) - set(WALKERS)
    assert not unknown, f"unknown personas {sorted(unknown)}"
    expected = {p: (ok if p in personas else other) for p in PERSONAS}
    expected[ANONYMOUS] = ok if ANONYMOUS in personas else anonymous
    return expected


def everyone(status: int = 200, *, anonymous: int = LOGIN) -> dict[str, int]:
    """`expect=` for a route every signed-in persona may open."""
    return sees(*PERSONAS, ok=status, anonymous=anonymous)


@dataclass(frozen=True)
class Case:
    """How to visit one route.

    `kwargs`: its URL parameters, a dict or a function of the scene (`lambda s: {...}`);
    `query`: a query string (without `?`); `label`: names the case in messages when a route has
    several; `expect`: persona → status (see `sees`), for who-sees-what; `check(visit)`: more
    assertions on a GET's answer (e.g. which rows a list shows to `visit.persona`); `echo`: text
    the answer legitimately shows back from the query (a search term), ignored by the scan;
    `skip`: a reason not to walk the route at all; `write`: send the bad-input requests too
    (by default only a route's first case does); `reveals`: the route's POST is the audited
    reveal, whose answer shows the plain value to whoever may reveal it.
    """

    kwargs: Callable[[Scene], Mapping[str, Any]] | Mapping[str, Any] = field(default_factory=dict)
    query: str | Callable[[Scene], str] = ""
    label: str = ""
    expect: Mapping[str, int] | None = None
    check: Callable[[Visit], None] | None = None
    echo: str = ""
    skip: str = ""
    write: bool | None = None
    reveals: bool = False

    def url_kwargs(self, scene: Scene) -> dict[str, Any]:
        return dict(self.kwargs(scene) if callable(self.kwargs) else self.kwargs)

    def query_string(self, scene: Scene) -> str:
        return self.query(scene) if callable(self.query) else self.query


@dataclass(frozen=True)
class Known:
    """A problem the walk finds today that an open issue is fixing: reported as a warning, not
    a failure, until the fix lands (then the entry is reported as stale for `personas`: delete
    it). `route` "*" means every route; `personas` empty means every persona (and no stale
    report)."""

    route: str
    contains: str
    issue: str
    personas: frozenset[str] = frozenset()

    def matches(self, failure: str) -> bool:
        persona, _, rest = failure.partition(": ")
        return (
            (self.route == "*" or rest.startswith(self.route + " "))
            and self.contains in rest
            and (not self.personas or persona in self.personas)
        )


@dataclass(frozen=True)
class Secret:
    """Text (a phone, a child's name, a diagnosis) that only `seen_by` personas may receive."""

    text: str
    seen_by: frozenset[str] = frozenset()


class Scene:
    """The world, the personas' users, and each app's objects (`scene.<app label>`)."""

    def __init__(self, world: World, users: dict[str, User | None]) -> None:
        self.world = world
        self.users = users
        self.secrets: list[Secret] = []
        self.people: list[Person] = []
        self.apps: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["apps"][name]
        except KeyError:
            raise AttributeError(f"the scene has no objects of app {name!r}") from None

    def user(self, persona: str) -> User:
        user = self.users[persona]
        assert user is not None, f"{persona} is nobody"
        return user

    def actor(self, persona: str) -> Actor:
        return actor_for_user(self.user(persona))

    def secret(self, text: str, *seen_by: str) -> None:
        """Register text that must not reach any persona but `seen_by`."""
        self.secrets.append(Secret(text, frozenset(seen_by)))

    def person(self, key: str, *, citizen_id: str = "", phone: str = "") -> None:
        """Register a person outside the world's residents (a courier, an outside volunteer)
        whose plain ID and phone no answer may carry."""
        self.people.append(Person(key=key, citizen_id=citizen_id, phone=phone))


@dataclass
class Visit:
    """One GET of the walk, handed to a case's `check`."""

    persona: str
    route: Route
    case: Case
    url: str
    response: HttpResponseBase
    scene: Scene

    def json(self) -> Any:
        return self.response.json()  # type: ignore[attr-defined]

    def text(self) -> str:
        return body_text(self.response)


# --- routes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One named route, as the resolver knows it."""

    key: str
    kind: str  # "page" or "api"
    template: str  # for messages
    params: tuple[str, ...]
    name: str = ""  # URL name, for reverse() (pages)
    methods: frozenset[str] = frozenset()  # API: the path's methods
    body_methods: frozenset[str] = frozenset()  # API: methods that read a request body

    def url(self, kwargs: Mapping[str, Any]) -> str:
        if self.kind == "api":
            return self.key.format(**{k: str(v) for k, v in kwargs.items()})
        return reverse(self.name, kwargs={k: v for k, v in kwargs.items()})

    @property
    def write_methods(self) -> list[str]:
        return sorted(self.methods - {"GET", "HEAD", "OPTIONS"})


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _params_of(template: str) -> tuple[str, ...]:
    """The URL parameters of a route (`<int:org_id>` or a regex's `(?P<fmt>...)`)."""
    return tuple(a or b for a, b in _PARAM.findall(template))


def _iter_patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _iter_patterns(entry, prefix + str(entry.pattern), full)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def _api_paths() -> dict[str, dict[str, bool]]:
    """The API's paths (as the OpenAPI schema writes them) → method → reads a body."""
    from linli.core.api import api

    if api.urls_namespace not in get_resolver().namespace_dict:
        return {}
    schema = api.get_openapi_schema()
    found: dict[str, dict[str, bool]] = {}
    for path, operations in schema["paths"].items():
        found[path] = {
            method.upper(): "requestBody" in op
            for method, op in operations.items()
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}
        }
    return found


@cache
def discover_routes() -> tuple[Route, ...]:
    """Every named route of the project (Django's admin aside), pages and API operations."""
    api_paths = _api_paths()
    routes: dict[str, Route] = {}
    for template, namespace, pattern in _iter_patterns(get_resolver()):
        top = namespace.split(":")[0]
        if top in SKIP_NAMESPACES:
            continue
        params = _params_of(template)
        if top == "api":
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
            if path in api_paths:
                ops = api_paths[path]
                routes[path] = Route(
                    key=path,
                    kind="api",
                    template=path,
                    params=params,
                    methods=frozenset(ops),
                    body_methods=frozenset(m for m, body in ops.items() if body),
                )
                continue
        if not pattern.name:
            key = "/" + template
            routes[key] = Route(key=key, kind="page", template=key, params=params)
            continue
        key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        routes.setdefault(
            key, Route(key=key, kind="page", template="/" + template, params=params, name=key)
        )
    return tuple(sorted(routes.values(), key=lambda r: r.key))


# --- the cases of every app -------------------------------------------------------------------


@dataclass
class CaseBook:
    cases: dict[str, list[Case]] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # route key → module
    builders: list[tuple[str, Callable[[Scene], Any]]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    known: list[Known] = field(default_factory=list)


def _case_modules() -> Iterator[tuple[str, Any]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        name = f"{config.name}.tests.walk_cases"
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is not None:
            yield config.label, importlib.import_module(name)


@cache
def load_cases() -> CaseBook:
    """Every app's `tests/walk_cases.py`, merged. Two modules giving the same route fail."""
    book = CaseBook()
    for label, module in _case_modules():
        for key, value in getattr(module, "CASES", {}).items():
            assert key not in book.cases, (
                f"walk case {key!r} given twice: {book.origin[key]} and {module.__name__}"
            )
            book.cases[key] = list(value) if isinstance(value, list | tuple) else [value]
            book.origin[key] = module.__name__
        if hasattr(module, "build"):
            book.builders.append((label, module.build))
        book.settings.update(getattr(module, "SETTINGS", {}))
        book.known.extend(getattr(module, "KNOWN", ()))
    return book


def coverage_problems() -> list[str]:
    """Routes with URL parameters and no case, and cases for routes that do not exist."""
    book = load_cases()
    routes = {r.key: r for r in discover_routes()}
    problems = []
    for route in routes.values():
        if route.params and route.key not in book.cases:
            app = _owner_app(route)
            example = ", ".join(f'"{p}": ...' for p in route.params)
            problems.append(
                f"no walk case for {route.key} ({route.template}): add to "
                f'linli/{app}/tests/walk_cases.py CASES: "{route.key}": '
                f"Case(lambda s: {{{example}}}),"
            )
    for key in book.cases:
        if key not in routes:
            problems.append(
                f"walk case for a route that does not exist: {key} ({book.origin[key]})"
            )
    return problems


def _owner_app(route: Route) -> str:
    if route.kind == "api":
        return route.key.split("/")[2]
    return route.key.split(":")[0] if ":" in route.key else "core"


# --- the scene --------------------------------------------------------------------------------


def build_scene(personas: Iterable[str] = PERSONAS) -> Scene:
    """The world, every persona, and every app's walk objects."""
    world = build_world()
    users: dict[str, User | None] = {name: make_persona(name, world) for name in personas}
    users[ANONYMOUS] = None
    scene = Scene(world, users)
    for label, build in load_cases().builders:
        scene.apps[label] = build(scene)
    return scene


# --- reading answers --------------------------------------------------------------------------


def body_text(response: HttpResponseBase) -> str:
    """An answer's text for the scan: pages, JSON and XML as they are, spreadsheets cell by
    cell; images and other binary files give ''."""
    if getattr(response, "streaming", False):
        if not hasattr(response, "walk_content"):
            response.walk_content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        content = response.walk_content  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "").split(";")[0].strip()
    if kind == XLSX:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        return "\n".join(cells)
    if kind.startswith(("image/", "application/pdf", "application/octet-stream")):
        return ""
    return bytes(content).decode(errors="replace")


_FORM_FIELD = re.compile(
    r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.IGNORECASE
)


def form_fields(html: str) -> list[str]:
    """The names of the form fields of a page (CSRF token aside)."""
    names = dict.fromkeys(_FORM_FIELD.findall(html))
    names.pop("csrfmiddlewaretoken", None)
    return list(names)


# --- the walk ---------------------------------------------------------------------------------


class Walker:
    """Walk every route as one persona; `failures` collects what went wrong."""

    def __init__(self, persona: str, scene: Scene) -> None:
        self.persona = persona
        self.scene = scene
        self.user = scene.users.get(persona)
        # CSRF checked as in production (a body the check cannot read must still be a 4xx);
        # writes carry the token.
        self.client = Client(enforce_csrf_checks=True)
        if self.user is not None:
            self.client.force_login(self.user)
        self.session_cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        actor = actor_for_user(self.user) if self.user is not None else None
        self.may_reveal = actor is not None and has_perm(actor, REVEAL_PII)
        self.failures: list[str] = []
        self.visits = 0
        self.pages: dict[str, str] = {}  # url → the page's text (for its form fields)
        self.statuses: dict[tuple[str, str], int] = {}  # (route key, case label) → GET status
        self.people = people_of(scene.world) + scene.people

    # one request, rolled back, the sign-in kept
    def request(self, method: str, url: str, **extra: Any) -> tuple[HttpResponseBase | None, str]:
        self.visits += 1
        self.client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        if method != "GET":
            extra.setdefault("HTTP_X_CSRFTOKEN", CSRF_SECRET)
        response: HttpResponseBase | None = None
        error = ""
        try:
            with transaction.atomic():
                response = self.client.generic(method, url, **extra)
                if getattr(response, "streaming", False):
                    body_text(response)  # read the file before the savepoint closes
                transaction.set_rollback(True)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            where = next(
                (f"{f.filename}:{f.lineno}" for f in reversed(frames) if "/linli/" in f.filename),
                "",
            )
            error = f"{type(exc).__name__}: {exc} [{where}]"
        if self.session_cookie is not None:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session_cookie.value
        else:
            self.client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return response, error

    def fail(self, route: Route, case: Case, url: str, message: str) -> None:
        label = f" [{case.label}]" if case.label else ""
        self.failures.append(f"{self.persona}: {route.key}{label} {url}: {message}")

    def scan(self, route: Route, case: Case, url: str, text: str, *, write: bool = False) -> None:
        if write and case.reveals and self.may_reveal:
            return
        if case.echo:
            text = text.replace(case.echo, "")
        problems = find_plain_pii(
            text,
            self.people,
            allowed=PLAIN_ALLOWED.get(self.persona, set()),
            family=FAMILY.get(self.persona, set()),
            may_reveal=self.may_reveal,
        )
        problems += [
            f"secret {s.text!r} shown"
            for s in self.scene.secrets
            if self.persona not in s.seen_by and s.text in text
        ]
        for problem in problems:
            self.fail(route, case, url, problem)

    def expected(self, route: Route, case: Case) -> int | None:
        if case.expect is None or self.persona not in case.expect:
            return None
        status = case.expect[self.persona]
        if status == LOGIN:
            return 401 if route.kind == "api" else 302
        return status

    def get(self, route: Route, case: Case) -> None:
        try:
            kwargs = case.url_kwargs(self.scene)
            url = route.url(kwargs)
        except Exception as exc:
            self.fail(route, case, route.template, f"cannot build the URL: {exc!r}")
            return
        if case.query_string(self.scene):
            url += ("&" if "?" in url else "?") + case.query_string(self.scene)
        response, error = self.request("GET", url)
        if response is None:
            self.fail(route, case, url, f"GET raised {error}")
            return
        status = response.status_code
        self.statuses[(route.key, case.label)] = status
        if status not in GET_STATUSES:
            self.fail(route, case, url, f"GET answered {status}")
            return
        if route.kind == "api" and "GET" not in route.methods:
            # A write-only path: `expect` speaks of its writes, the GET must be refused.
            if status != 405:
                self.fail(route, case, url, f"GET of a write-only path answered {status}")
            return
        want = self.expected(route, case)
        if want is not None and status != want:
            self.fail(route, case, url, f"GET answered {status}, expected {want}")
        if (
            want == 302
            and self.user is None
            and "/accounts/login/" not in response.get("Location", "")
        ):
            self.fail(route, case, url, "did not send the anonymous visitor to sign in")
        text = body_text(response)
        self.scan(route, case, url, text)
        if status == 200:
            if route.kind == "page":
                self.pages[url] = text
            if case.check is not None:
                try:
                    case.check(Visit(self.persona, route, case, url, response, self.scene))
                except AssertionError as exc:
                    self.fail(route, case, url, f"check failed: {exc}")

    def get_missing(self, route: Route, case: Case) -> None:
        """GETs naming objects that do not exist (and, for the API, whose URL parameters are
        malformed: the resolver keeps those away from pages): a 4xx or the sign-in, never a
        200 or a 5xx."""
        variants = [_missing_value] + ([_malformed_value] if route.kind == "api" else [])
        for variant in variants:
            try:
                kwargs = {k: variant(v) for k, v in case.url_kwargs(self.scene).items()}
                url = route.url(kwargs)
            except NoReverseMatch:
                continue  # a parameter with a fixed set of values (e.g. a format)
            except Exception as exc:
                self.fail(route, case, route.template, f"cannot build the URL: {exc!r}")
                return
            response, error = self.request("GET", url)
            if response is None:
                self.fail(route, case, url, f"GET of a missing object raised {error}")
            elif response.status_code not in MISSING_STATUSES:
                status = response.status_code
                self.fail(route, case, url, f"GET of a missing object answered {status}")

    def bad_api_input(self, route: Route, case: Case) -> None:
        try:
            kwargs = case.url_kwargs(self.scene)
            url = route.url(kwargs)
        except Exception as exc:
            self.fail(route, case, route.template, f"cannot build the URL: {exc!r}")
            return
        missing = route.url({k: _missing_value(v) for k, v in kwargs.items()})
        for method in route.write_methods:
            attempts = [
                # (what, url, body, content type, must be a 4xx)
                ("malformed JSON", url, b"{not json", "application/json", True),
                ("multipart without a boundary", url, b"x", "multipart/form-data", False),
            ]
            if route.params:
                attempts.append(("a missing object", missing, b"{}", "application/json", True))
            if method not in route.body_methods:
                # The body is not read: only a missing object is bad input here.
                attempts = [
                    (w, u, b, c, strict and u == missing) for w, u, b, c, strict in attempts
                ]
            for what, target, body, content_type, strict in attempts:
                response, error = self.request(method, target, data=body, content_type=content_type)
                if response is None:
                    self.fail(route, case, target, f"{method} with {what} raised {error}")
                    continue
                status = response.status_code
                if status >= 500 or (strict and status not in API_BAD_INPUT_STATUSES):
                    self.fail(route, case, target, f"{method} with {what} answered {status}")
                    continue
                kind = response.get("Content-Type", "")
                if 400 <= status < 500 and not kind.startswith("application/json"):
                    self.fail(
                        route,
                        case,
                        target,
                        f"{method} with {what}: a {status} without the API's "
                        f"JSON error body ({kind})",
                    )
                self.scan(route, case, target, body_text(response), write=True)

    def bad_page_input(self, route: Route, case: Case) -> None:
        try:
            url = route.url(case.url_kwargs(self.scene))
        except Exception as exc:
            self.fail(route, case, route.template, f"cannot build the URL: {exc!r}")
            return
        if case.query_string(self.scene):
            url += ("&" if "?" in url else "?") + case.query_string(self.scene)
        fields = form_fields(self.pages.get(url, ""))
        data = {name: JUNK for name in fields} or {"junk": JUNK}
        data["csrfmiddlewaretoken"] = CSRF_SECRET
        response, error = self.request(
            "POST", url, data=_urlencode(data), content_type="application/x-www-form-urlencoded"
        )
        if response is None:
            self.fail(route, case, url, f"POST of junk raised {error}")
            return
        # Pages under /api/ (the schema and its docs) answer the signed-out with the API's 401.
        allowed = PAGE_POST_STATUSES | ({401} if url.startswith("/api/") else set())
        if response.status_code not in allowed:
            self.fail(route, case, url, f"POST of junk answered {response.status_code}")
            return
        self.scan(route, case, url, body_text(response), write=True)

    def walk(self, routes: Iterable[Route], book: CaseBook) -> list[str]:
        plan: list[tuple[Route, list[Case]]] = []
        for route in routes:
            cases = book.cases.get(route.key)
            if cases is None:
                if route.params:
                    continue  # coverage_problems() names it
                cases = [Case()]
            cases = [c for c in cases if not c.skip]
            plan.append((route, cases))
        for route, cases in plan:
            for case in cases:
                self.get(route, case)
            if route.params and cases and (route.kind == "page" or "GET" in route.methods):
                self.get_missing(route, cases[0])
        # Writes after every GET (each rolled back all the same).
        for route, cases in plan:
            for index, case in enumerate(cases):
                if not (case.write if case.write is not None else index == 0):
                    continue
                if route.kind == "api":
                    self.bad_api_input(route, case)
                else:
                    self.bad_page_input(route, case)
        django_cache.clear()  # throttles counted the junk sign-ins
        return self.failures


def _missing_value(value: Any) -> Any:
    """A value of the same shape as a URL parameter that names nothing."""
    if isinstance(value, int):
        return 987654321
    text = str(value)
    try:
        uuid.UUID(text)
    except ValueError:
        return "nothing-here" if not text.isdigit() else "987654321"
    return "00000000-0000-4000-8000-000000000000"


def _malformed_value(value: Any) -> Any:
    """A value of the wrong shape for a URL parameter."""
    return "not-a-number" if isinstance(value, int) else "not-a-uuid%20%27"


def _urlencode(data: Mapping[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


@dataclass
class WalkResult:
    failures: list[str]  # to fix now
    known: list[tuple[str, Known]]  # found, and listed in some app's KNOWN
    stale: list[Known]  # KNOWN entries for this persona that found nothing: delete them
    visits: int


def walk(persona: str, scene: Scene) -> WalkResult:
    """Walk every route as `persona`."""
    book = load_cases()
    walker = Walker(persona, scene)
    found = walker.walk(discover_routes(), book)
    failures: list[str] = []
    known: list[tuple[str, Known]] = []
    used: set[Known] = set()
    for failure in found:
        match = next((k for k in book.known if k.matches(failure)), None)
        if match is None:
            failures.append(failure)
        else:
            known.append((failure, match))
            used.add(match)
    stale = [k for k in book.known if k not in used and persona in k.personas]
    return WalkResult(failures, known, stale, walker.visits)
