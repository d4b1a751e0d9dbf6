"""Surveys in the persona walk (`linli.testing.walk`): who sees results, enters paper
questionnaires, exports, and answers (the resident, and only surveys aimed at him)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from linli.core import dates
from linli.surveys import services
from linli.surveys.choices import ServiceLine, SurveyKind
from linli.testing.walk import Case, Scene, sees

STAFF = ("admin", "worker_a", "worker_b", "organiser", "viewer", "district")
PAPER = ("admin", "worker_a", "worker_b", "organiser")
EXPORTS = ("admin", "viewer", "district")
OWNER = "resident_user"


def build(scene: Scene) -> Any:
    """An open anonymous wellbeing survey, a named one, and a follow-up sent to household A1
    after a (pretend) Community 110 request."""
    world = scene.world
    admin = scene.actor("admin")
    today = dates.local_today()

    def survey(text: str, **kw: Any) -> Any:
        return services.survey_create(
            actor=admin,
            community_id=world.community.pk,
            data=services.SurveyInput(
                title=kw.pop("title", "调查"),
                opens_on=today - dt.timedelta(days=1),
                closes_on=today + dt.timedelta(days=10),
                questions=services.parse_questions(text),
                **kw,
            ),
        )

    wellbeing = survey(
        "[rating10*:gain] 获得感\n[rating10*:happiness] 幸福感\n[rating10*:security] 安全感",
        title="三感调查",
        kind=SurveyKind.WELLBEING,
        anonymous=True,
    )
    named = survey("[single*] 独居？ | 是 | 否\n[text] 建议", title="需求调查")
    followup = services.followup_send(
        community_id=world.community.pk,
        household_id=world.household_a1.pk,
        service_line=ServiceLine.HOTLINE,
        ref="walk-request",
        label="HL-0001 水电维修",
    )
    return SimpleNamespace(wellbeing=wellbeing, named=named, followup=followup)


wellbeing = lambda s: {"public_id": s.surveys.wellbeing.public_id}  # noqa: E731
named = lambda s: {"public_id": s.surveys.named.public_id}  # noqa: E731
followup = lambda s: {"followup_id": s.surveys.followup.pk}  # noqa: E731

CASES = {
    "surveys:index": Case(expect=sees(*STAFF, "other_admin") | {OWNER: 302}),
    "surveys:survey_new": Case(expect=sees("admin", "other_admin")),
    "surveys:mine": Case(expect=sees(OWNER)),
    "surveys:wellbeing": Case(expect=sees(*STAFF, "other_admin", OWNER)),
    "surveys:survey": [
        Case(wellbeing, label="wellbeing", expect=sees(*STAFF)),
        Case(named, label="named", expect=sees(*STAFF)),
    ],
    "surveys:answer": [
        Case(wellbeing, label="wellbeing", expect=sees(OWNER)),
        Case(named, label="named", expect=sees(OWNER)),
    ],
    "surveys:paper": Case(named, expect=sees(*PAPER)),
    "surveys:export": Case(wellbeing, expect=sees(*EXPORTS)),
    "surveys:followup": Case(followup, expect=sees(OWNER)),
    "/api/surveys/surveys": Case(expect=sees(*STAFF, "other_admin")),
    "/api/surveys/surveys/{public_id}": Case(wellbeing, expect=sees(*STAFF, OWNER)),
    "/api/surveys/surveys/{public_id}/results": Case(wellbeing, expect=sees(*STAFF)),
    "/api/surveys/surveys/{public_id}/responses": Case(wellbeing),
    "/api/surveys/surveys/{public_id}/paper": Case(named),
    "/api/surveys/mine": Case(expect=sees(OWNER)),
    "/api/surveys/followups": Case(expect=sees(OWNER)),
    "/api/surveys/followups/{followup_id}": Case(followup),
    "/api/surveys/wellbeing": Case(expect=sees(*STAFF, "other_admin")),
}
