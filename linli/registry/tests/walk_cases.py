"""The registry's routes in the persona walk (`linli.testing.walk`): who sees which resident,
household and place, and which rows lists and searches show."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.registry.models import ImportBatch
from linli.testing.factories import make_citizen_id
from linli.testing.walk import Case, Known, Scene, Visit, everyone, sees
from linli.testing.world import LATER_PERSONAS

# Which of the world's residents (and their households) each persona may see.
VISIBLE = {
    "admin": {"a1", "b1"},
    "worker_a": {"a1"},
    "worker_b": {"b1"},
    "organiser": {"a1", "b1"},
    "care": {"a1", "b1"},
    "volunteer": set(),
    "resident_user": {"a1"},
    "viewer": {"a1", "b1", "other"},
    "other_admin": {"other"},
    # Roles of later domains: nothing of the registry unless their domain grants it.
    "district": set(),
    "carer": set(),
    "lead": set(),
    "trainer": set(),
    "service": set(),
}
SEES_PLACES = {"admin", "worker_a", "worker_b", "organiser", "care", "viewer", "other_admin"}
MAY_REVEAL = {"admin", "worker_a", "worker_b", "other_admin"}
CHANGES = MAY_REVEAL
NAMES = {"a1": {"张晓", "张小明", "李芳"}, "b1": {"王建国"}, "other": {"赵敏"}}
HOUSEHOLD_NAMES = {"a1": {"张晓", "张小明"}, "b1": {"王建国"}, "other": {"赵敏"}}
KEYS = ("a1", "b1", "other")


def who_sees(key: str, among: set[str] | None = None) -> tuple[str, ...]:
    return tuple(p for p, keys in VISIBLE.items() if key in keys and (among is None or p in among))


IMPORTED = {
    "楼栋": "12",
    "单元": 2,
    "房号": "401",
    "产权": "业主",
    "姓名": "刘伟",
    "公民身份号码": make_citizen_id(dt.date(1975, 4, 12), 11, True),
    "联系电话": "13811112222",
    "与户主关系": "户主",
}


def build(scene: Scene) -> Any:
    """An import batch (the admin's ledger of one new person, checked and not yet imported)
    for the import wizard's pages; the person's plain ID and phone must never be shown."""
    client = Client()
    client.force_login(scene.user("admin"))
    book = load_workbook(io.BytesIO(client.get(reverse("registry:import_template")).content))
    sheet = book.worksheets[0]
    header = next(row for row in sheet.iter_rows(values_only=True) if "姓名" in row)
    sheet.append([IMPORTED.get(str(title), None) for title in header])
    data = io.BytesIO()
    book.save(data)
    response = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("居民.xlsx", data.getvalue())}
    )
    assert response.status_code == 302, response.content[:2000]
    scene.person(
        "imported", citizen_id=str(IMPORTED["公民身份号码"]), phone=str(IMPORTED["联系电话"])
    )
    return SimpleNamespace(batch=ImportBatch.objects.latest("pk"))


def resident(key: str) -> Any:
    return lambda s: {"public_id": s.world.residents()[key].public_id}


def reveal(key: str, field: str) -> Any:
    return lambda s: {**resident(key)(s), "field": field}


def household(key: str) -> Any:
    return lambda s: {"public_id": s.world.residents()[key].household.public_id}


def per_resident(make: Any, among: set[str] | None = None, **extra: Any) -> list[Case]:
    return [Case(make(k), label=k, expect=sees(*who_sees(k, among)), **extra) for k in KEYS]


def listed_names(visit: Visit) -> None:
    """The resident list shows exactly the residents in the persona's scope."""
    names = {row["name"] for row in visit.json()["results"]}
    want: set[str] = set()
    for key in VISIBLE[visit.persona]:
        want |= HOUSEHOLD_NAMES[key] if visit.persona == "resident_user" else NAMES[key]
    assert names == want, (sorted(names), sorted(want))


def hides_out_of_scope_names(visit: Visit) -> None:
    text = visit.text()
    for key, name in (("b1", "王建国"), ("other", "赵敏")):
        if key not in VISIBLE[visit.persona]:
            assert name not in text, f"{name} shown"


def search(q: str) -> Case:
    return Case(
        query=f"q={q}",
        label=f"q={q}",
        echo=q,
        expect=everyone() | {"volunteer": 404} | dict.fromkeys(LATER_PERSONAS, 404),
        check=hides_out_of_scope_names,
    )


batch = lambda s: {"public_id": s.registry.batch.public_id}  # noqa: E731
admins = sees("admin")

CASES = {
    "home": Case(expect=everyone()),
    "registry:residents": [search(q) for q in ("zx", "12-2-301", "13900000001", "王")],
    "registry:resident": per_resident(resident),
    "registry:resident_edit": per_resident(resident, CHANGES),
    "registry:resident_move_out": per_resident(resident, CHANGES),
    "registry:resident_reveal": [
        Case(
            reveal(k, f),
            label=f"{k} {f}",
            reveals=True,
            expect=sees(*who_sees(k, MAY_REVEAL)),
        )
        for k in KEYS
        for f in ("phone", "citizen_id")
    ],
    "registry:household": per_resident(household),
    "registry:household_edit": per_resident(household, CHANGES),
    "registry:household_move_in": per_resident(household, CHANGES),
    "registry:household_move_out": per_resident(household, CHANGES),
    "registry:grid": [
        Case(
            lambda s: {"grid_id": s.world.grid_a.pk},
            label="a",
            expect=sees(*who_sees("a1", SEES_PLACES)),
        ),
        Case(
            lambda s: {"grid_id": s.world.grid_b.pk},
            label="b",
            expect=sees(*who_sees("b1", SEES_PLACES)),
        ),
    ],
    "registry:building": [
        Case(
            lambda s: {"building_id": s.world.building_a.pk},
            label="a",
            expect=sees(*who_sees("a1", SEES_PLACES)),
        ),
        Case(
            lambda s: {"building_id": s.world.building_b.pk},
            label="b",
            expect=sees(*who_sees("b1", SEES_PLACES)),
        ),
    ],
    "registry:unit": [
        Case(
            lambda s: {"unit_id": s.world.unit_a.pk},
            label="a",
            expect=sees(*who_sees("a1", SEES_PLACES)),
        ),
        Case(
            lambda s: {"unit_id": s.world.unit_b.pk},
            label="b",
            expect=sees(*who_sees("b1", SEES_PLACES)),
        ),
    ],
    "registry:import_preview": Case(batch, expect=admins),
    "registry:import_commit": Case(batch),
    "registry:import_result": Case(batch),
    "registry:import_errors": Case(batch, expect=admins),
    # The API
    "/api/registry/figures/{community_id}": Case(lambda s: {"community_id": s.world.community.pk}),
    "/api/registry/grids/{grid_id}/buildings": [
        Case(
            lambda s: {"grid_id": s.world.grid_a.pk},
            label="a",
            expect=sees(*who_sees("a1", SEES_PLACES)),
        ),
        Case(
            lambda s: {"grid_id": s.world.grid_b.pk},
            label="b",
            expect=sees(*who_sees("b1", SEES_PLACES)),
        ),
    ],
    "/api/registry/buildings/{building_id}/units": [
        Case(lambda s: {"building_id": s.world.building_a.pk}, label="a"),
        Case(lambda s: {"building_id": s.world.building_b.pk}, label="b"),
    ],
    "/api/registry/residents": Case(
        query="status=&page_size=200",
        expect=everyone(),
        check=lambda v: listed_names(v),
    ),
    "/api/registry/residents/{public_id}": per_resident(resident),
    "/api/registry/residents/{public_id}/move-out": per_resident(resident),
    "/api/registry/residents/{public_id}/reveal": per_resident(resident, reveals=True),
    "/api/registry/households/{public_id}": per_resident(household),
    "/api/registry/households/{public_id}/move-out": per_resident(household),
    "/api/registry/households/{public_id}/residents": per_resident(household),
    "/api/registry/import/{batch_id}": Case(lambda s: {"batch_id": s.registry.batch.public_id}),
    "/api/registry/import/{batch_id}/commit": Case(
        lambda s: {"batch_id": s.registry.batch.public_id}
    ),
    # The resident's own whole record and its download (issue 14, PIPL art. 45).
    "registry:my_record": Case(expect=sees("resident_user")),
    "registry:my_record_download": [
        Case({"fmt": f}, label=f, expect=sees("resident_user")) for f in ("json", "xlsx")
    ],
}

# Problems the walk found and an open issue is fixing (none left: issue 8 items 1 and 2 are
# fixed and the walk now fails on any regression).
KNOWN: list[Known] = []
