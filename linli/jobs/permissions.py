"""Who may do what with the doorstep jobs.

- The community admin and the team leads (`Role.JOBS_LEAD`) run the work: firms, orders,
  teams, workers, dispatch and quality checks, ledger corrections; the admin alone issues the
  monthly statements and marks them paid.
- A worker (resident) sees only his own batches, accepted pieces, month so far and statements
  (`PORTAL`; the household grant is narrowed to the signed-in resident himself).
- The cockpit's figures (people employed, average income) are aggregates for the admin and the
  subdistrict and district viewers.
"""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.jobs.models import (
    Batch,
    EarningEntry,
    Firm,
    MonthTally,
    Order,
    Return,
    Statement,
    Team,
    Worker,
)

VIEW = "jobs.view"  # firms, orders, teams, workers (masked), batches, statements, statistics
MANAGE = "jobs.manage"  # firms, orders, teams, workers, dispatch, quality checks, corrections
ISSUE = "jobs.issue_statements"  # issue the month's statements, mark them paid
PORTAL = "jobs.portal"  # a worker's own batches, earnings and statements
FIGURES = "jobs.figures"  # aggregate figures only

grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, ISSUE, FIGURES)
grant(Role.JOBS_LEAD, VIEW, MANAGE)
grant(Role.SUBDISTRICT_VIEWER, FIGURES)
grant(Role.DISTRICT_VIEWER, FIGURES)
grant(Role.RESIDENT, PORTAL)

for _model in (Firm, Order, Team):
    register_scope(_model, community="community_id")
register_scope(Worker, community="community_id", household="household_id")
register_scope(Batch, community="community_id", household="worker__household_id")
register_scope(Return, community="batch__community_id", household="batch__worker__household_id")
register_scope(EarningEntry, community="community_id", household="worker__household_id")
register_scope(Statement, community="community_id", household="worker__household_id")
register_scope(MonthTally, community="community_id", household="worker__household_id")
