"""The demo's sign-in accounts: one per role, all with the same published password.

This list is the single source for the builder (which creates the accounts), the
`demo_logins` command and the README, so that what we tell people and what exists agree.
The password is public on purpose: the demo holds invented people only. Never seed a
production database with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from linli.core.roles import Role

DEMO_PASSWORD: Final = "Linli-demo-2026"
# The resident signs in with his phone number; this username exists only so that the account
# is easy to find in the admin site.
RESIDENT_USERNAME: Final = "resident"
SUPERUSER_USERNAME: Final = "root"
MAIN_COMMUNITY: Final = "wenchang"
SECOND_COMMUNITY: Final = "wenhui"


@dataclass(frozen=True)
class DemoAccount:
    """One demo login and the role assignment it carries."""

    username: str
    role: Role | None  # None: the superuser, who has the admin site and no role
    role_label: str | Promise
    shows: str | Promise
    community: str = ""  # community code
    grid: int | None = None
    title: str = ""  # job title as the community writes it (data, so Chinese)
    subdistrict: str = ""
    district: str = ""
    superuser: bool = False
    listed: bool = True  # shown row by row in `demo_logins` (the extra grid workers are not)


# Grid workers beyond the two listed ones, so that every grid has someone to route to.
EXTRA_GRID_WORKERS: Final = tuple(range(3, 12))

DEMO_ACCOUNTS: Final[tuple[DemoAccount, ...]] = (
    DemoAccount(
        "wenchang_admin",
        Role.COMMUNITY_ADMIN,
        Role.COMMUNITY_ADMIN.label,
        _("All of Wenchang Garden: every list, reveals, import and export, audit trail"),
        community=MAIN_COMMUNITY,
        title="书记",
    ),
    DemoAccount(
        "grid1",
        Role.GRID_WORKER,
        Role.GRID_WORKER.label,
        _("Grid 1 of Wenchang Garden only: its buildings, households and residents"),
        community=MAIN_COMMUNITY,
        grid=1,
        title="网格员",
    ),
    DemoAccount(
        "grid2",
        Role.GRID_WORKER,
        Role.GRID_WORKER.label,
        _("Grid 2 of Wenchang Garden only (compare with grid1)"),
        community=MAIN_COMMUNITY,
        grid=2,
        title="网格员",
    ),
    *(
        DemoAccount(
            f"grid{number}",
            Role.GRID_WORKER,
            Role.GRID_WORKER.label,
            _("One grid of Wenchang Garden"),
            community=MAIN_COMMUNITY,
            grid=number,
            title="网格员",
            listed=False,
        )
        for number in EXTRA_GRID_WORKERS
    ),
    DemoAccount(
        "party",
        Role.PARTY_ORGANISER,
        Role.PARTY_ORGANISER.label,
        _("Wenchang Garden's registry, read-only"),
        community=MAIN_COMMUNITY,
        title="党委组织委员",
    ),
    DemoAccount(
        "care",
        Role.CARE_WORKER,
        Role.CARE_WORKER.label,
        _("Wenchang Garden's registry, read-only"),
        community=MAIN_COMMUNITY,
        title="养老服务专员",
    ),
    DemoAccount(
        "volunteer",
        Role.VOLUNTEER,
        Role.VOLUNTEER.label,
        _("Wenchang Garden's overview, no personal records"),
        community=MAIN_COMMUNITY,
        title="志愿者",
    ),
    DemoAccount(
        "viewer",
        Role.SUBDISTRICT_VIEWER,
        Role.SUBDISTRICT_VIEWER.label,
        _("Every community of Qujiang subdistrict side by side, read-only"),
        subdistrict="曲江街道",
        district="广陵区",
        title="街道干部",
    ),
    DemoAccount(
        "district",
        Role.DISTRICT_VIEWER,
        Role.DISTRICT_VIEWER.label,
        _("Every community of Guangling district, read-only"),
        district="广陵区",
        title="区民政局干部",
    ),
    DemoAccount(
        "nursery",
        Role.NURSERY_CARER,
        Role.NURSERY_CARER.label,
        _("Wenchang Garden's infant day-care: classes, children, attendance, pickups"),
        community=MAIN_COMMUNITY,
        title="托育老师",
    ),
    DemoAccount(
        "jobs",
        Role.JOBS_LEAD,
        Role.JOBS_LEAD.label,
        _("Doorstep jobs: dispatch batches, quality checks, workers' earnings"),
        community=MAIN_COMMUNITY,
        title="家门口就业带头人",
    ),
    DemoAccount(
        "training",
        Role.TRAINING_STAFF,
        Role.TRAINING_STAFF.label,
        _("The cadre training base: courses, lecturers, classes, lodging and meals"),
        community=MAIN_COMMUNITY,
        title="培训基地专员",
    ),
    DemoAccount(
        "service",
        Role.SERVICE_STAFF,
        Role.SERVICE_STAFF.label,
        _("The service centre: venues, bookings, kits, convenience services"),
        community=MAIN_COMMUNITY,
        title="党群服务中心专员",
    ),
    DemoAccount(
        "wenhui_admin",
        Role.COMMUNITY_ADMIN,
        Role.COMMUNITY_ADMIN.label,
        _("All of Wenhui, the second community (and nothing of Wenchang Garden)"),
        community=SECOND_COMMUNITY,
        title="书记",
    ),
    DemoAccount(
        RESIDENT_USERNAME,
        Role.RESIDENT,
        Role.RESIDENT.label,
        _("His own household in grid 1: the resident portal (signs in with his phone number)"),
        community=MAIN_COMMUNITY,
        grid=1,
    ),
    DemoAccount(
        SUPERUSER_USERNAME,
        None,
        _("Superuser"),
        _("The Django admin site (/admin/) only; no role in the application"),
        superuser=True,
    ),
)


def account(username: str) -> DemoAccount:
    return next(a for a in DEMO_ACCOUNTS if a.username == username)


def staff_usernames() -> list[str]:
    """Accounts that get an invented staff name and work phone (not the resident's)."""
    return [a.username for a in DEMO_ACCOUNTS if a.role not in (None, Role.RESIDENT)]


@dataclass(frozen=True)
class DemoLogin:
    """One row of the logins table: what to type and what it shows."""

    login: str
    password: str
    role: str
    shows: str


def demo_logins() -> list[DemoLogin]:
    """The listed demo accounts as people sign in with them. The resident's login is his
    phone number, read (and decrypted) from the database; the others are fixed."""
    from linli.accounts.models import User  # accounts sit below the demo; import at use
    from linli.core import pii

    resident = User.objects.select_related("resident").filter(username=RESIDENT_USERNAME).first()
    phone = pii.decrypt(resident.resident.phone_encrypted) if resident and resident.resident else ""
    rows: list[DemoLogin] = []
    for item in DEMO_ACCOUNTS:
        if not item.listed:
            continue
        login = item.username
        if item.role == Role.RESIDENT:
            login = phone or str(_("(his phone number; build the demo first)"))
        rows.append(DemoLogin(login, DEMO_PASSWORD, str(item.role_label), str(item.shows)))
        if item.username == "grid2" and EXTRA_GRID_WORKERS:
            rows.append(
                DemoLogin(
                    f"grid{EXTRA_GRID_WORKERS[0]} … grid{EXTRA_GRID_WORKERS[-1]}",
                    DEMO_PASSWORD,
                    str(Role.GRID_WORKER.label),
                    str(_("Grids 3 to 11 of Wenchang Garden, one each")),
                )
            )
    return rows
