"""What each role may do in the registry, and how registry rows map to scope."""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.registry.models import (
    Building,
    Community,
    Grid,
    Household,
    ImportBatch,
    Residency,
    Resident,
    Unit,
)

VIEW_COMMUNITY = "registry.view_community"
VIEW_PLACES = "registry.view_places"  # grids, buildings, units
VIEW_HOUSEHOLD = "registry.view_household"
VIEW_RESIDENT = "registry.view_resident"
CHANGE_HOUSEHOLD = "registry.change_household"
CHANGE_RESIDENT = "registry.change_resident"
REVEAL_PII = "registry.reveal_pii"
IMPORT = "registry.import"
EXPORT = "registry.export"
OWN_RECORD = "registry.own_record"  # the resident's own whole record and its download
FIGURES = "registry.figures"  # headline figures: cockpit, monthly report (issue 14)

_VIEW_ALL = (VIEW_COMMUNITY, VIEW_PLACES, VIEW_HOUSEHOLD, VIEW_RESIDENT)

grant(
    Role.COMMUNITY_ADMIN, *_VIEW_ALL, CHANGE_HOUSEHOLD, CHANGE_RESIDENT, REVEAL_PII, IMPORT, EXPORT
)
grant(Role.GRID_WORKER, *_VIEW_ALL, CHANGE_HOUSEHOLD, CHANGE_RESIDENT, REVEAL_PII, EXPORT)
grant(Role.PARTY_ORGANISER, *_VIEW_ALL)
grant(Role.CARE_WORKER, *_VIEW_ALL)
grant(Role.VOLUNTEER, VIEW_COMMUNITY)
grant(Role.RESIDENT, VIEW_HOUSEHOLD, VIEW_RESIDENT, OWN_RECORD)
grant(Role.SUBDISTRICT_VIEWER, *_VIEW_ALL)

register_scope(Community, community="id")
register_scope(Grid, community="community_id", grid="id")
register_scope(Building, community="community_id", grid="grid_id")
register_scope(Unit, community="building__community_id", grid="building__grid_id")
register_scope(Household, community="community_id", grid="building__grid_id", household="id")
register_scope(
    Resident,
    community="community_id",
    grid="household__building__grid_id",
    household="household_id",
)
register_scope(
    Residency,
    community="resident__community_id",
    grid="household__building__grid_id",
    household="household_id",
)
register_scope(ImportBatch, community="community_id")

# The cockpit's readers (issue 14): community leadership, the subdistrict and the district.
for _role in (
    Role.COMMUNITY_ADMIN,
    Role.PARTY_ORGANISER,
    Role.SUBDISTRICT_VIEWER,
    Role.DISTRICT_VIEWER,
):
    grant(_role, FIGURES)
