"""Who may do what in deliberation, and how its rows map to scope.

Community admins and Party organisers run matters, meetings, notices, votes and projects; grid
workers record consents, sign-ins and objections for their grids' buildings; a resident sees the
matters and notices of his own building, objects to a notice, votes where he is an owner and
sees his share of an elevator's cost (through the `_for_resident` selectors, which filter by his
household's building); subdistrict viewers read.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.deliberation.models import (
    Ballot,
    CostShare,
    Elector,
    ElevatorProject,
    Matter,
    Meeting,
    Notice,
    Objection,
    ProjectObjection,
    Property,
    RuleSet,
    Vote,
)

VIEW = "deliberation.view"  # matters, meetings, notices, votes, projects in scope
RECORD = "deliberation.record"  # consents, sign-ins, objections and replies, funds
MANAGE = "deliberation.manage"  # create matters, meetings, notices, votes, projects; stages
TALLY = "deliberation.tally"  # the tally calculator API
EXPORT = "deliberation.export"  # consent sheets and tallies to .xlsx
PARTICIPATE = "deliberation.participate"  # the resident: his building's matters, his ballot

STAFF = (VIEW, RECORD, TALLY, EXPORT)
grant(Role.COMMUNITY_ADMIN, *STAFF, MANAGE)
grant(Role.PARTY_ORGANISER, *STAFF, MANAGE)
grant(Role.GRID_WORKER, *STAFF)
grant(Role.SUBDISTRICT_VIEWER, VIEW, TALLY, EXPORT)
grant(Role.DISTRICT_VIEWER, VIEW)
grant(Role.RESIDENT, PARTICIPATE)

for model in (Matter, Meeting, Notice, Vote, ElevatorProject, Property):
    register_scope(model, community="community_id", grid="grid_id")
register_scope(RuleSet, community="community_id")
register_scope(Objection, community="notice__community_id", grid="notice__grid_id")
register_scope(Elector, community="vote__community_id", grid="vote__grid_id")
register_scope(Ballot, community="vote__community_id", grid="vote__grid_id")
register_scope(CostShare, community="project__community_id", grid="project__grid_id")
register_scope(ProjectObjection, community="project__community_id", grid="project__grid_id")
