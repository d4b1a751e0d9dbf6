"""The shared building blocks every domain uses: state machines, conditional updates, dates,
query parsing, exports and error codes."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.db.models import F
from openpyxl import load_workbook

from linli.core import dates
from linli.core.errors import Conflict, CoreError, DomainError, all_error_codes
from linli.core.exporting import Sheet, build_workbook
from linli.core.management.commands.error_codes import error_codes_markdown
from linli.core.states import StateMachine, update_if
from linli.core.web import query_int, query_month, query_page
from linli.volunteers.choices import OrgStage, OrgType
from linli.volunteers.models import SocialOrganisation

MACHINE = StateMachine(
    allowed_from={
        "start": (OrgStage.APPLIED,),
        "register": (OrgStage.INCUBATING,),
        "withdraw": (OrgStage.APPLIED, OrgStage.INCUBATING),
    },
    status_labels=OrgStage,
    field="stage",
)


@pytest.fixture
def org(world):
    return SocialOrganisation.objects.create(
        community=world.community,
        name="读书会",
        org_type=OrgType.CULTURAL,
        stage=OrgStage.APPLIED,
        applied_on=dt.date(2026, 1, 5),
        guiding_party_org="党委",
    )


def test_a_machine_moves_an_object_and_refuses_a_transition_from_the_wrong_state(org):
    MACHINE.move(org, "start", to=OrgStage.INCUBATING, incubating_on=dt.date(2026, 2, 1))
    org.refresh_from_db()
    assert org.stage == OrgStage.INCUBATING and org.incubating_on == dt.date(2026, 2, 1)
    with pytest.raises(DomainError) as caught:
        MACHINE.move(org, "start", to=OrgStage.INCUBATING)
    assert caught.value.code == CoreError.INVALID_TRANSITION
    assert MACHINE.available(OrgStage.INCUBATING) == ["register", "withdraw"]


def test_the_loser_of_a_race_gets_a_conflict_and_the_winner_keeps_the_row(org):
    stale = SocialOrganisation.objects.get(pk=org.pk)
    MACHINE.move(org, "withdraw", to=OrgStage.WITHDRAWN)
    with pytest.raises(Conflict) as caught:
        MACHINE.move(
            stale,
            "start",
            to=OrgStage.INCUBATING,
            on_conflict=lambda: Conflict("王秀英 was first", code=CoreError.CONFLICT),
        )
    assert "王秀英" in caught.value.message
    assert SocialOrganisation.objects.get(pk=org.pk).stage == OrgStage.WITHDRAWN


def test_update_if_writes_only_while_the_condition_holds(org):
    assert update_if(SocialOrganisation, pk=org.pk, where={"stage": OrgStage.APPLIED}, name="A")
    assert not update_if(SocialOrganisation, pk=org.pk, where={"stage": "gone"}, name="B")
    assert update_if(SocialOrganisation, pk=org.pk, name=F("name"))
    assert SocialOrganisation.objects.get(pk=org.pk).name == "A"


@time_machine.travel(dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC))
def test_today_is_shanghais_date_not_the_servers():
    # 17:30 UTC on 30 November is already 1 December in Yangzhou.
    assert dates.local_today() == dt.date(2026, 12, 1)
    assert dates.this_month() == dt.date(2026, 12, 1)


def test_month_arithmetic_and_bounds():
    assert dates.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert dates.add_months(dt.date(2026, 1, 15), -13) == dt.date(2024, 12, 15)
    assert dates.next_month(dt.date(2026, 12, 9)) == dt.date(2027, 1, 1)
    start, end = dates.month_bounds(dt.date(2026, 2, 10))
    assert (start.isoformat(), end.isoformat()) == (
        "2026-02-01T00:00:00+08:00",
        "2026-03-01T00:00:00+08:00",
    )


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2026-03", dt.date(2026, 3, 1)),
        ("2026-13", None),
        ("-9614186174-01", None),
        ("", None),
        ("x", None),
        ("99999-01", None),
    ],
)
def test_typed_months_are_parsed_or_refused_never_raised(raw, month):
    assert query_month(raw) == month


def test_query_integers_out_of_range_are_treated_as_absent():
    assert query_int("12") == 12
    assert query_int("-3") is None
    assert query_int("9071678999999999") is None
    assert query_page("abc") == 1


def test_exported_text_is_never_a_formula():
    rows = [['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "王秀英", 3]]
    data, count = build_workbook([Sheet(title="t", headers=list("abcdef"), rows=rows)])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for c in next(sheet.iter_rows(min_row=2))]
    assert count == 1
    assert [c.value for c in cells] == rows[0]
    assert [c.data_type for c in cells[:5]] == ["s"] * 5
    assert b"<f>" not in _sheet_xml(data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_every_error_code_is_declared_once_and_published():
    markdown = error_codes_markdown()  # imports every app's errors module first
    codes = [code for code, _owner, _meaning in all_error_codes()]
    assert len(codes) == len(set(codes)), "an error code is declared twice"
    published = (Path(__file__).resolve().parents[3] / "docs" / "api-errors.md").read_text()
    assert published == markdown, "run: manage.py error_codes > docs/api-errors.md"


def test_the_shared_sub_navigation_shows_only_the_tabs_the_actor_may_use(rf):
    from django.template import Context, Template

    from linli.core.navigation import register_subnav

    register_subnav("demo-tabs", "all", "Everyone", "home")
    register_subnav("demo-tabs", "staff", "Staff only", "core:audit", "core.view_audit")
    html = Template('{% load linli %}{% subnav "demo-tabs" "all" %}')
    shown = html.render(Context({"actor_perms": frozenset()}))
    assert "Everyone" in shown and 'aria-current="page"' in shown and "Staff only" not in shown
    staff = html.render(Context({"actor_perms": frozenset({"core.view_audit"})}))
    assert "Staff only" in staff


# --- the old patterns stay gone (issue 9: "a grep for the old patterns finds nothing") -------

PRODUCT = Path(__file__).resolve().parents[2]


def _product_files(name_glob: str = "*.py"):
    for path in sorted(PRODUCT.rglob(name_glob)):
        rel = path.relative_to(PRODUCT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.startswith("testing/"):
            continue
        yield rel, path.read_text(encoding="utf-8")


def _hits(pattern: str, *, name_glob: str = "*.py", allowed: tuple[str, ...] = ()) -> list[str]:
    import re

    regex = re.compile(pattern)
    return [
        f"{rel}:{text[: m.start()].count(chr(10)) + 1}"
        for rel, text in _product_files(name_glob)
        if rel not in allowed
        for m in regex.finditer(text)
    ]


def test_views_never_catch_domain_errors_by_hand():
    # Open311's one decorator maps domain errors to the GeoReport spec's error list (its
    # protocol's equivalent of the API's handler); no view catches them itself.
    hits = _hits(r"except\s+\(?[\w., ]*DomainError", name_glob="views*.py")
    assert [h for h in hits if not h.startswith("open311/views.py:")] == []
    assert len(hits) <= 1


def test_nobody_defines_a_private_actor_or_permission_helper():
    assert _hits(r"def _actor\(|def _require\(|def _int\(") == []


def test_the_xlsx_mime_type_is_written_once():
    assert _hits(r"spreadsheetml", allowed=("core/exporting.py",)) == []


def test_guarded_status_updates_go_through_core_states():
    pattern = r"\.filter\(\s*pk=[^)]*(status|stage|standing)=[^)]*\)\s*\.update\("
    assert _hits(pattern, allowed=("core/states.py",)) == []


def test_a_date_field_keeps_its_value_in_chinese():
    # zh-Hans formats dates as 1966/04/01, which <input type="date"> silently drops: an edit
    # form would show an empty birth date and a careless save could lose it.
    from django.utils import translation

    from linli.core.forms import DateInput

    with translation.override("zh-hans"):
        html = DateInput().render("birth_date", dt.date(1966, 4, 1))
    assert 'type="date"' in html and 'value="1966-04-01"' in html


def test_no_two_api_schemas_share_a_name():
    # The OpenAPI document keys schemas by class name: a second `CategoryOut` silently replaces
    # the first, and clients (and schemathesis) then check answers against the wrong shape.
    import collections

    import ninja

    from linli.core.api import api

    api.get_openapi_schema()  # every router is registered and every schema imported
    modules: dict[str, set[str]] = collections.defaultdict(set)
    stack = list(ninja.Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("linli."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}
