"""Who may use the training base, and how its rows map to scope.

Only the base's staff (`Role.TRAINING_STAFF`, persona `trainer`) and the community admin see
and manage it; for everyone else every page and API operation is a 404."""

from linli.core.permissions import grant, register_scope
from linli.core.roles import Role
from linli.training.models import (
    Attendance,
    BedNight,
    Course,
    CourseCategory,
    Lecturer,
    LodgingRoom,
    MealPlan,
    Session,
    Trainee,
    TrainingClass,
)

VIEW = "training.view"  # catalogue, lecturers, classes, quotes, totals
MANAGE = "training.manage"  # book and change classes, the catalogue, lodging, meals, check-in
EXPORT = "training.export"

grant(Role.TRAINING_STAFF, VIEW, MANAGE, EXPORT)
grant(Role.COMMUNITY_ADMIN, VIEW, MANAGE, EXPORT)

for _model in (CourseCategory, Lecturer, Course, TrainingClass, LodgingRoom):
    register_scope(_model, community="community_id")
for _child in (Session, BedNight, MealPlan, Trainee):
    register_scope(_child, community="training_class__community_id")
register_scope(Attendance, community="session__training_class__community_id")
