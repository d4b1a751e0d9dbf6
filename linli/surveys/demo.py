"""Surveys in the Wenchang demo: two years of quarterly wellbeing surveys (anonymous, answers
rising from the low 80s to about 90), the current quarter's survey open with a first few
dozen answers (not the demo resident's: he can answer it and watch the index move), three
other surveys (one open for the 60+, one per household on paper and online, one closed), and
follow-ups after the closed Community 110 requests of the last months, mostly answered."""

from __future__ import annotations

import datetime as dt

from linli.accounts.models import User
from linli.care.selectors import rated_since
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.hotline.selectors import closed_since
from linli.registry.models import Community, Grid, Resident
from linli.surveys.choices import (
    Channel,
    Dimension,
    QuestionKind,
    ServiceLine,
    SurveyKind,
    Unit,
    age_band,
)
from linli.surveys.models import Answer, FollowUp, Question, ReceiptSet, Response, Survey
from linli.surveys.rules import receipt_hash
from linli.surveys.services import (
    QuestionSpec,
    SurveyInput,
    _create,
    _score,
    followup_survey,
)

WELLBEING_QUESTIONS = (
    QuestionSpec(
        "q1", QuestionKind.RATING10, "社区服务让您的生活更方便了吗？", dimension=Dimension.GAIN
    ),
    QuestionSpec(
        "q2", QuestionKind.RATING10, "您的诉求能得到及时回应吗？", dimension=Dimension.GAIN
    ),
    QuestionSpec(
        "q3", QuestionKind.RATING10, "您在社区生活得开心吗？", dimension=Dimension.HAPPINESS
    ),
    QuestionSpec(
        "q4", QuestionKind.RATING10, "您和邻里相处和睦吗？", dimension=Dimension.HAPPINESS
    ),
    QuestionSpec(
        "q5", QuestionKind.RATING10, "您晚上在小区里走动感到安全吗？", dimension=Dimension.SECURITY
    ),
    QuestionSpec(
        "q6",
        QuestionKind.RATING10,
        "遇到困难时，您相信社区会帮您吗？",
        dimension=Dimension.SECURITY,
    ),
    QuestionSpec("q7", QuestionKind.TEXT, "您最希望社区下季度做好哪件事？", required=False),
)
DIM_OFFSET = {Dimension.GAIN: -1.5, Dimension.HAPPINESS: 0.5, Dimension.SECURITY: 1.5}
WISHES = ("加装电梯", "增加停车位", "老年助餐", "楼道照明", "垃圾分类", "儿童活动场地", "")
PAST_QUARTERS = 8
PAST_ANSWERS = 220
CURRENT_ANSWERS = 36


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Writer:
    """Collects responses, answers and receipts for one bulk insert each."""

    def __init__(self) -> None:
        self.responses: list[Response] = []
        self.answers: list[Answer] = []

    def add(
        self,
        survey: Survey,
        questions: list[Question],
        values: dict[str, object],
        *,
        resident: tuple[int, int, int, dt.date] | None,
        channel: str = Channel.ONLINE,
        day: dt.date | None = None,
        followup: FollowUp | None = None,
    ) -> None:
        rid, household_id, grid_id, birth = resident or (0, 0, 0, None)
        linked = not survey.anonymous and resident is not None
        age = None
        if birth is not None:
            ref = day or survey.closes_on
            age = ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))
        response = Response(
            survey=survey,
            anonymous=survey.anonymous,
            resident_id=rid if linked else None,
            household_id=household_id if linked else None,
            day=day if not survey.anonymous else None,
            grid_id=grid_id or None,
            age_band=age_band(age),
            channel=channel,
            followup=followup,
        )
        self.responses.append(response)
        for q in questions:
            v = values.get(q.key)
            if v is None or v == "":
                continue
            if q.kind in (QuestionKind.RATING5, QuestionKind.RATING10):
                n = int(v)  # type: ignore[call-overload]
                self.answers.append(
                    Answer(response=response, question=q, number=n, score=_score(q.kind, n))
                )
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                self.answers.append(Answer(response=response, question=q, values=list(v)))  # type: ignore[call-overload]
            else:
                self.answers.append(Answer(response=response, question=q, text=str(v)))

    def save(self) -> int:
        Response.objects.bulk_create(self.responses, batch_size=1000)
        Answer.objects.bulk_create(self.answers, batch_size=2000)
        return len(self.responses)


def _receipts(survey: Survey, people: list[tuple[int, int, int, dt.date]]) -> None:
    hashes: set[str] = set()
    for rid, household_id, _g, _b in people:
        stub = Resident(pk=rid, household_id=household_id)
        hashes.add(receipt_hash(survey, stub))
    ordered = sorted(hashes)
    ReceiptSet.objects.filter(survey=survey).update(hashes="\n".join(ordered), count=len(ordered))


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    demo_resident = (
        User.objects.filter(username="resident").values_list("resident_id", flat=True).first()
    )
    people = [
        (r["id"], r["household_id"], r["household__building__grid_id"], r["birth_date"])
        for r in Resident.objects.filter(community=community, status="active")
        .exclude(pk=demo_resident or 0)
        .filter(birth_date__lte=today - dt.timedelta(days=18 * 366))
        .values("id", "household_id", "household__building__grid_id", "birth_date")
        .order_by("id")
    ]
    grids = list(
        Grid.objects.filter(community=community).order_by("number").values_list("id", flat=True)
    )
    grid_lift = {g: rng.uniform(-2.5, 2.5) for g in grids}
    writer = _Writer()
    current = _quarter_start(today)
    surveys = 0
    # --- the quarterly wellbeing surveys ---------------------------------------------------
    for back in range(PAST_QUARTERS, -1, -1):
        start = dates.add_months(current, -3 * back)
        end = dates.add_months(start, 3) - dt.timedelta(days=1)
        is_current = back == 0
        survey = _create(
            community,
            SurveyInput(
                title=f"{start.year}年第{(start.month - 1) // 3 + 1}季度居民获得感幸福感安全感调查",
                description="匿名调查：您的回答与您的姓名、住户无任何关联。",
                opens_on=start + dt.timedelta(days=9),
                closes_on=end if not is_current else max(end, today + dt.timedelta(days=20)),
                questions=WELLBEING_QUESTIONS,
                kind=SurveyKind.WELLBEING,
                anonymous=True,
                period=start,
            ),
            "",
        )
        surveys += 1
        questions = list(survey.questions.order_by("order"))
        level = 82.0 + (PAST_QUARTERS - back) * 1.15  # rising by about one point a quarter
        sample = rng.sample(
            people, min(len(people), CURRENT_ANSWERS if is_current else PAST_ANSWERS)
        )
        for person in sample:
            values: dict[str, object] = {}
            mood = rng.gauss(0, 0.6)
            for q in questions:
                if q.dimension:
                    mean = (
                        level + DIM_OFFSET[Dimension(q.dimension)] + grid_lift.get(person[2], 0)
                    ) / 10
                    values[q.key] = _clamp(rng.gauss(mean + mood, 0.9), 0, 10)
                elif rng.random() < 0.3:
                    values[q.key] = rng.choice(WISHES)
            writer.add(
                survey,
                questions,
                values,
                resident=person,
                channel=Channel.PAPER if rng.random() < 0.15 else Channel.ONLINE,
            )
        _receipts(survey, sample)
    # --- other surveys ----------------------------------------------------------------------
    elderly = [p for p in people if p[3] <= dates.add_months(today, -12 * 60)]
    meals = _create(
        community,
        SurveyInput(
            title="老年助餐服务需求调查",
            description="面向60岁以上居民。",
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=20),
            questions=(
                QuestionSpec("q1", QuestionKind.SINGLE, "您是否独居？", choices=("是", "否")),
                QuestionSpec(
                    "q2",
                    QuestionKind.MULTIPLE,
                    "您需要哪些上门服务？",
                    choices=("助餐", "助浴", "助医", "助洁"),
                    show_if_key="q1",
                    show_if_values=("是",),
                ),
                QuestionSpec("q3", QuestionKind.RATING5, "您对长者食堂的饭菜满意吗？"),
                QuestionSpec("q4", QuestionKind.TEXT, "其他建议", required=False),
            ),
            tag="elderly",
        ),
        "",
    )
    qs = list(meals.questions.order_by("order"))
    sample = rng.sample(elderly, min(len(elderly), 90))
    for person in sample:
        alone = rng.random() < 0.35
        writer.add(
            meals,
            qs,
            {
                "q1": ["是" if alone else "否"],
                "q2": sorted(
                    rng.sample(["助餐", "助浴", "助医", "助洁"], rng.randint(1, 2)),
                    key=["助餐", "助浴", "助医", "助洁"].index,
                )
                if alone
                else None,
                "q3": rng.choice((3, 4, 4, 5, 5, 5)),
            },
            resident=person,
            channel=Channel.PAPER if rng.random() < 0.4 else Channel.ONLINE,
            day=today - dt.timedelta(days=rng.randint(0, 9)),
        )
    _receipts(meals, sample)
    lift = _create(
        community,
        SurveyInput(
            title="老旧楼栋加装电梯意向征询",
            description="每户一份。",
            opens_on=dates.add_months(today, -5),
            closes_on=dates.add_months(today, -4),
            questions=(
                QuestionSpec(
                    "q1",
                    QuestionKind.SINGLE,
                    "您家是否同意加装电梯？",
                    choices=("同意", "不同意", "无所谓"),
                ),
                QuestionSpec(
                    "q2",
                    QuestionKind.SINGLE,
                    "您能接受的分摊方式？",
                    choices=("按楼层", "平均分摊"),
                    show_if_key="q1",
                    show_if_values=("同意",),
                ),
                QuestionSpec("q3", QuestionKind.TEXT, "您的顾虑", required=False),
            ),
            unit=Unit.HOUSEHOLD,
        ),
        "",
    )
    qs = list(lift.questions.order_by("order"))
    seen: set[int] = set()
    lift_people = []
    for person in rng.sample(people, min(len(people), 260)):
        if person[1] in seen:
            continue
        seen.add(person[1])
        lift_people.append(person)
        agree = rng.choices(("同意", "不同意", "无所谓"), (78, 12, 10))[0]
        writer.add(
            lift,
            qs,
            {
                "q1": [agree],
                "q2": [rng.choice(("按楼层", "平均分摊"))] if agree == "同意" else None,
                "q3": rng.choice(("", "", "担心噪音", "低层住户采光", "费用太高")),
            },
            resident=person,
            channel=Channel.PAPER if rng.random() < 0.5 else Channel.ONLINE,
            day=lift.opens_on + dt.timedelta(days=rng.randint(0, 20)),
        )
    _receipts(lift, lift_people)
    surveys += 2
    # --- follow-ups after closed requests and rated care visits -----------------------------
    since = dates.day_start(dates.add_months(today, -6))
    followups = 0
    answered = 0
    by_household = {p[1]: p for p in people}
    for line, done in (
        (ServiceLine.HOTLINE, closed_since(since)),
        (ServiceLine.CARE, rated_since(since)),
    ):
        done = [d for d in done if d.community_id == community.pk]
        if not done:
            continue
        survey = followup_survey(community.pk, line)
        surveys += 1
        rows = FollowUp.objects.bulk_create(
            [
                FollowUp(
                    survey=survey,
                    community_id=community.pk,
                    household_id=d.household_id,
                    service_line=line,
                    ref=d.ref,
                    label=d.label,
                    url=d.url,
                    sent_on=d.on or today,
                    answered=rng.random() < 0.7,
                )
                for d in done
            ]
        )
        followups += len(rows)
        qs = list(survey.questions.order_by("order"))
        for f in rows:
            if not f.answered:
                continue
            found = by_household.get(f.household_id)
            if found is None:
                FollowUp.objects.filter(pk=f.pk).update(answered=False)
                continue
            rating = rng.choices((5, 4, 3, 2), (62, 28, 7, 3))[0]
            writer.add(
                survey,
                qs,
                {
                    "q1": rating,
                    "q2": ["解决了" if rating >= 4 else rng.choice(("部分解决", "没有解决"))],
                    "q3": rng.choice(("", "", "师傅很负责", "来得很快", "希望再快一点")),
                },
                resident=found,
                day=f.sent_on + dt.timedelta(days=rng.randint(0, 2)),
                followup=f,
            )
            answered += 1
    written = writer.save()
    return {
        "surveys": surveys,
        "responses": written,
        "follow-ups sent": followups,
        "follow-ups answered": answered,
    }
