"""Who may see what of the day-care.

- A child's record (health, allergies, checks, pickup list) is seen only by the day-care's
  carers, the community admin (both `VIEW_CHILDREN`, community scope; every read of one child's
  record by them is audited) and the child's own guardians (`GUARDIAN`: the resident accounts of
  the child's household, household scope).
- The grid worker (and the Party organiser, care worker…) learns only that a household has a
  child enrolled (`ENROLLED_FLAG`, through the resident's profile panel); no other persona
  reaches any child data, in pages or the API.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.nursery.models import (
    Attendance,
    Child,
    NurseryClass,
    PickupPerson,
    PickupRefusal,
    RosterEntry,
)

VIEW = "nursery.view"  # classes, the day board (ratio), roster
MANAGE = "nursery.manage"  # enrol, attendance and checks, pickups, roster, classes
VIEW_CHILDREN = "nursery.view_children"  # a child's full record (audited)
GUARDIAN = "nursery.guardian"  # a guardian's own children (phone portal)
ENROLLED_FLAG = "nursery.enrolled_flag"  # only "this household has a child enrolled"

grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, VIEW_CHILDREN, ENROLLED_FLAG)
grant(Role.NURSERY_CARER, VIEW, MANAGE, VIEW_CHILDREN, ENROLLED_FLAG)
grant(Role.GRID_WORKER, ENROLLED_FLAG)
grant(Role.RESIDENT, GUARDIAN)

register_scope(NurseryClass, community="community_id")
register_scope(RosterEntry, community="nursery_class__community_id")
register_scope(
    Child,
    community="community_id",
    grid="household__building__grid_id",
    household="household_id",
)
register_scope(
    PickupPerson,
    community="child__community_id",
    grid="child__household__building__grid_id",
    household="child__household_id",
)
register_scope(
    Attendance,
    community="child__community_id",
    grid="child__household__building__grid_id",
    household="child__household_id",
)
register_scope(PickupRefusal, community="child__community_id", household="child__household_id")
