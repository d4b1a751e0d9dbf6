"""What each role may do with the Party organisation, and how its rows map to scope.

The Party organiser and the community admin see and change everything of their community; a
grid worker sees the part of the tree in her grid and the members who live there (through
the member's resident household) and prints her grid's warm service cards; a subdistrict
viewer reads; care workers, volunteers and residents see nothing of it (cards are printed by
staff and handed out).
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.party.models import (
    Activity,
    Attendance,
    CentralHousehold,
    HouseholdLink,
    Member,
    MemberLink,
    Office,
    Organisation,
    Transfer,
)

VIEW = "party.view"
CHANGE = "party.change"
PRINT_CARDS = "party.print_cards"
EXPORT = "party.export"
FIGURES = "party.figures"  # headline figures: cockpit, monthly report (issue 14)

grant(Role.COMMUNITY_ADMIN, VIEW, CHANGE, PRINT_CARDS, EXPORT)
grant(Role.PARTY_ORGANISER, VIEW, CHANGE, PRINT_CARDS, EXPORT)
grant(Role.GRID_WORKER, VIEW, PRINT_CARDS)
grant(Role.SUBDISTRICT_VIEWER, VIEW, EXPORT)

_MEMBER_GRID = "resident__household__building__grid_id"

register_scope(Organisation, community="community_id", grid="grid_id")
register_scope(Member, community="community_id", grid=_MEMBER_GRID)
register_scope(Office, community="organisation__community_id", grid="organisation__grid_id")
register_scope(Transfer, community="member__community_id", grid=f"member__{_MEMBER_GRID}")
register_scope(CentralHousehold, community="community_id", grid="household__building__grid_id")
register_scope(
    HouseholdLink,
    community="central__community_id",
    grid="household__building__grid_id",
)
register_scope(MemberLink, community="central__community_id", grid=f"member__{_MEMBER_GRID}")
register_scope(Activity, community="organisation__community_id", grid="organisation__grid_id")
register_scope(
    Attendance,
    community="activity__organisation__community_id",
    grid=f"member__{_MEMBER_GRID}",
)

# The cockpit's readers (issue 14): community leadership, the subdistrict and the district.
for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, FIGURES)
