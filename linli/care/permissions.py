"""Who may do what in elderly care, and how its rows map to scope.

- **Register** (`care.view_register`): the elder's flags, arrangement, level and open tasks —
  care workers and the admin over the community, grid workers over their grids, the subdistrict
  viewer read-only. No answers.
- **Records** (`care.view_records`): assessment answers, health notes and care records (visit
  notes, call-backs) — sensitive personal data: care workers and the community admin only;
  every read of an assessment is audited.
- **Manage** (`care.manage`): assess, plan, schedule, check in/out, call back, day-care,
  apartments — care workers and the admin.
- **Tasks** (`care.work_tasks`): proactive tasks and visit logs (走访) — grid workers over their
  grids, care workers and the admin over the community.
- **Portal** (`care.portal`): the elder (or a family member of his household) sees his plan and
  upcoming visits and rates a visit.
"""

from linli.care.models import (
    Admission,
    Apartment,
    Arrangement,
    Assessment,
    Attendance,
    CarePlan,
    DayCentre,
    Elder,
    ProactiveTask,
    Provider,
    Visit,
    VisitLog,
    WaitingEntry,
)
from linli.core.permissions import grant, register_scope
from linli.core.roles import Role

VIEW_REGISTER = "care.view_register"
VIEW_RECORDS = "care.view_records"
MANAGE = "care.manage"
WORK_TASKS = "care.work_tasks"
VIEW_BOARD = "care.view_board"
EXPORT = "care.export"
PORTAL = "care.portal"

grant(Role.COMMUNITY_ADMIN, VIEW_REGISTER, VIEW_RECORDS, MANAGE, WORK_TASKS, VIEW_BOARD, EXPORT)
grant(Role.CARE_WORKER, VIEW_REGISTER, VIEW_RECORDS, MANAGE, WORK_TASKS, VIEW_BOARD, EXPORT)
grant(Role.GRID_WORKER, VIEW_REGISTER, WORK_TASKS, VIEW_BOARD)
grant(Role.SUBDISTRICT_VIEWER, VIEW_BOARD)
grant(Role.RESIDENT, PORTAL)

ELDER_PATHS = {"community": "community_id", "grid": "grid_id", "household": "household_id"}
for _model in (Elder, Visit, ProactiveTask, VisitLog):
    register_scope(_model, **ELDER_PATHS)
for _owned in (Assessment, Arrangement, CarePlan, Admission, WaitingEntry):
    register_scope(
        _owned,
        community="elder__community_id",
        grid="elder__grid_id",
        household="elder__household_id",
    )
register_scope(Attendance, community="centre__community_id", household="elder__household_id")
for _place in (DayCentre, Apartment, Provider):
    register_scope(_place, community="community_id")
