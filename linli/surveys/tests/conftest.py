"""Survey fixtures: a wellbeing survey open today (anonymous) and a named one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from linli.core import dates
from linli.surveys import services
from linli.surveys.choices import SurveyKind


def make_survey(actor: Any, world: Any, text: str, **kw: Any) -> Any:
    today = dates.local_today()
    defaults: dict[str, Any] = {
        "title": "测试调查",
        "opens_on": today - dt.timedelta(days=1),
        "closes_on": today + dt.timedelta(days=10),
        "questions": services.parse_questions(text),
    }
    defaults.update(kw)
    return services.survey_create(
        actor=actor, community_id=world.community.pk, data=services.SurveyInput(**defaults)
    )


WELLBEING = (
    "[rating10*:gain] 获得感一\n"
    "[rating10*:gain] 获得感二\n"
    "[rating10*:happiness] 幸福感\n"
    "[rating5*:security] 安全感\n"
    "[text] 建议"
)


@pytest.fixture
def wellbeing(admin: Any, actor_of: Any, world: Any) -> Any:
    today = dates.local_today()
    return make_survey(
        actor_of(admin),
        world,
        WELLBEING,
        kind=SurveyKind.WELLBEING,
        anonymous=True,
        period=today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1),
    )


@pytest.fixture
def named(admin: Any, actor_of: Any, world: Any) -> Any:
    return make_survey(
        actor_of(admin),
        world,
        "[single*] 是否独居？ | 是 | 否\n"
        "[multiple*] 需要哪些服务？ | 助餐 | 助浴 ?if q1=是\n"
        "[rating5] 满意度",
        title="需求调查",
    )
