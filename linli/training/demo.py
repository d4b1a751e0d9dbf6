"""The training base of the Wenchang demo: 20 course categories, 110 courses, 32 lecturers, 60
guest rooms with 120 beds, and five years of classes (about 90 a year) from visiting
organisations all over China, totalling 20,000+ trainee visits, with their timetables (no
lecturer or classroom ever twice at once), lodging (no bed twice a night), meals, and the
rosters and check-ins of the last year. Deterministic (`ctx.rng`), bulk-created."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from linli.core import dates, pii
from linli.core.demo_hooks import DemoContext
from linli.registry.models import Community
from linli.training.choices import ClassStatus, CourseFormat, LecturerKind
from linli.training.models import (
    Attendance,
    Bed,
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

CATEGORIES = (
    "党建引领基层治理", "红色文化传承", "网格化服务管理", "社区治理创新", "党员教育管理",
    "为民服务实践", "新时代文明实践", "城市基层党建", "两新组织党建", "社会组织培育",
    "志愿服务体系", "平安社区建设", "智慧社区与数字治理", "养老托育服务", "矛盾纠纷调解",
    "居民议事协商", "社区应急管理", "廉洁文化教育", "社区文化建设", "干部能力提升",
)  # fmt: skip
SITES = (
    "映像文昌", "城市书房", "公益集市", "睦邻会馆", "党建微家", "新时代文明实践站",
    "社区110指挥中心", "骑手驿站",
)  # fmt: skip
CLASSROOMS = ("一号教室", "二号教室", "三号教室", "四号教室", "五号教室", "六号教室")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = (
    "建国", "海燕", "志强", "丽娟", "文斌", "晓红", "国庆", "春梅", "立新", "秀英", "明华",
    "桂兰", "永刚", "玉珍", "振华", "淑芬", "卫东", "慧敏", "学军", "红霞", "德明", "雪梅",
)  # fmt: skip
INTERNAL_TITLES = (
    "文昌花园社区党委书记", "社区居委会主任", "网格党支部书记", "社区党委副书记",
    "社区110负责人", "社会组织服务中心主任",
)  # fmt: skip
EXTERNAL_TITLES = (
    "扬州市委党校教授", "扬州大学副教授", "江苏省委党校教授", "南京大学社会学院副教授",
    "邗江区委组织部科长", "市民政局社区建设处处长", "律师事务所主任",
)  # fmt: skip
# (province, city, weight): most visitors come from nearby.
ORIGINS = (
    ("江苏省", "南京", 8), ("江苏省", "苏州", 6), ("江苏省", "无锡", 5), ("江苏省", "徐州", 5),
    ("江苏省", "盐城", 4), ("江苏省", "淮安", 4), ("江苏省", "泰州", 4), ("江苏省", "南通", 4),
    ("江苏省", "连云港", 3), ("江苏省", "宿迁", 3), ("江苏省", "镇江", 3), ("江苏省", "常州", 3),
    ("浙江省", "杭州", 4), ("浙江省", "宁波", 3), ("安徽省", "合肥", 4), ("安徽省", "滁州", 2),
    ("上海市", "", 3), ("山东省", "济南", 3), ("山东省", "临沂", 2), ("河南省", "郑州", 2),
    ("湖北省", "武汉", 2), ("湖南省", "长沙", 2), ("江西省", "南昌", 2), ("福建省", "福州", 2),
    ("广东省", "深圳", 2), ("四川省", "成都", 2), ("重庆市", "", 1), ("河北省", "石家庄", 1),
    ("山西省", "太原", 1), ("陕西省", "西安", 1), ("辽宁省", "沈阳", 1), ("吉林省", "长春", 1),
    ("黑龙江省", "哈尔滨", 1), ("广西壮族自治区", "南宁", 1), ("云南省", "昆明", 1),
    ("贵州省", "贵阳", 1), ("甘肃省", "兰州", 1), ("新疆维吾尔自治区", "乌鲁木齐", 1),
    ("内蒙古自治区", "呼和浩特", 1), ("北京市", "", 1), ("天津市", "", 1), ("海南省", "海口", 1),
)  # fmt: skip
ORG_KINDS = ("委组织部", "街道党工委", "区委党校", "社区党委书记", "民政局", "机关工委")
CLASS_KINDS = (
    "基层党建专题培训班", "社区治理能力提升班", "社区书记示范培训班", "网格员业务培训班",
    "党务工作者培训班", "新任社区干部培训班",
)  # fmt: skip
CLASSES_PER_YEAR = 90
YEARS = 5
ROOMS_PER_FLOOR = 20
FLOORS = 3
BEDS_PER_ROOM = 2
SLOTS = ((9, 0), (14, 30))  # morning and afternoon sessions; each lasts at most 180 minutes


def _bulk(model: type, rows: list, size: int = 2000) -> list:  # type: ignore[type-arg]
    return model.objects.bulk_create(rows, batch_size=size)  # type: ignore[no-any-return,attr-defined]


def _catalogue(
    rng: random.Random, community: Community
) -> tuple[list[Course], dict[int, list[int]], list[Lecturer]]:
    categories = _bulk(
        CourseCategory,
        [CourseCategory(community=community, name=n, order=i) for i, n in enumerate(CATEGORIES)],
    )
    names: list[str] = []
    while len(names) < 32:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    lecturers = _bulk(
        Lecturer,
        [
            Lecturer(
                community=community,
                name=name,
                kind=LecturerKind.INTERNAL if i < 12 else LecturerKind.EXTERNAL,
                affiliation=rng.choice(INTERNAL_TITLES if i < 12 else EXTERNAL_TITLES),
                topics="、".join(rng.sample(CATEGORIES, 2)),
            )
            for i, name in enumerate(names)
        ],
    )
    courses: list[Course] = []
    for i, cat in enumerate(categories):
        short = cat.name
        site = SITES[i % len(SITES)]
        plans = [
            (f"{short}专题讲座", CourseFormat.LECTURE, "", 120, "80.00"),
            (f"{short}的理论与实践", CourseFormat.LECTURE, "", 150, "100.00"),
            (f"文昌花园{short}案例解析", CourseFormat.CASE_STUDY, "", 120, "90.00"),
            (f"{short}工作坊", CourseFormat.WORKSHOP, "", 180, "120.00"),
            (f"现场教学：{site}（{short}）", CourseFormat.SITE_VISIT, site, 90, "60.00"),
        ]
        if i % 2 == 0:
            plans.append((f"{short}经验交流", CourseFormat.CASE_STUDY, "", 90, "50.50"))
        for title, fmt, where, minutes, fee in plans:
            courses.append(
                Course(
                    community=community,
                    category=cat,
                    title=title,
                    format=fmt,
                    site=where,
                    duration_minutes=minutes,
                    fee=Decimal(fee),
                )
            )
    courses = _bulk(Course, courses)
    teaches: dict[int, list[int]] = {}
    through: list[object] = []
    for course in courses:
        chosen = rng.sample(lecturers, rng.choice((1, 2, 2, 3)))
        teaches[course.pk] = [lec.pk for lec in chosen]
        through.extend(
            Course.lecturers.through(course_id=course.pk, lecturer_id=lec.pk) for lec in chosen
        )
    _bulk(Course.lecturers.through, through)
    return courses, teaches, lecturers


def _rooms(community: Community) -> list[Bed]:
    rooms = _bulk(
        LodgingRoom,
        [
            LodgingRoom(
                community=community,
                number=f"{floor}{n:02d}",
                rate=Decimal("150.00") if floor == FLOORS else Decimal("120.00"),
            )
            for floor in range(1, FLOORS + 1)
            for n in range(1, ROOMS_PER_FLOOR + 1)
        ],
    )
    beds = _bulk(
        Bed,
        [Bed(room=r, label="AB"[i]) for r in rooms for i in range(BEDS_PER_ROOM)],
    )
    by_room = {r.pk: r for r in rooms}
    for bed in beds:
        bed.room = by_room[bed.room_id]
    return beds


def _status(rng: random.Random, start: dt.date, end: dt.date, today: dt.date) -> str:
    if end < today:
        return ClassStatus.CANCELLED if rng.random() < 0.03 else ClassStatus.COMPLETED
    if start <= today:
        return ClassStatus.IN_PROGRESS
    if (start - today).days <= 30:
        return ClassStatus.CONFIRMED
    return rng.choice((ClassStatus.ENQUIRY, ClassStatus.CONFIRMED))


def build_demo(ctx: DemoContext) -> dict[str, int]:
    community = Community.objects.get(code=ctx.main_community_code)
    rng = ctx.rng
    today = ctx.today
    courses, teaches, _lecturers = _catalogue(rng, community)
    beds = _rooms(community)
    weights = [w for _p, _c, w in ORIGINS]
    # Classes: five years up to today, plus the next three months.
    plans: list[tuple[dt.date, int, int]] = []
    first_year = today.year - YEARS + 1
    for year in range(first_year, today.year + 1):
        jan1 = dt.date(year, 1, 1)
        for _i in range(CLASSES_PER_YEAR):
            day = jan1 + dt.timedelta(days=rng.randrange(20, 350))
            plans.append((day, rng.choice((2, 3, 3, 3, 4, 5)), rng.randint(30, 70)))
    for _i in range(12):
        plans.append(
            (
                today + dt.timedelta(days=rng.randrange(3, 90)),
                rng.choice((2, 3, 4)),
                rng.randint(30, 60),
            )
        )
    plans.append((today - dt.timedelta(days=1), 3, 48))  # one class in progress today
    plans.sort()
    numbers: dict[int, int] = {}
    classes: list[TrainingClass] = []
    for start, days, count in plans:
        end = start + dt.timedelta(days=days - 1)
        province, city, _w = rng.choices(ORIGINS, weights=weights)[0]
        numbers[start.year] = numbers.get(start.year, 0) + 1
        phone = f"139{rng.randrange(10**8):08d}"
        place = city or province[:2]
        classes.append(
            TrainingClass(
                community=community,
                code=f"{start.year}-{numbers[start.year]:03d}",
                name=f"{place}{rng.choice(CLASS_KINDS)}",
                organisation=f"{place}{rng.choice(ORG_KINDS)}",
                province=province,
                city=city,
                contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                contact_phone_encrypted=pii.encrypt(phone),
                contact_phone_masked=pii.mask_phone(phone),
                starts_on=start,
                ends_on=end,
                trainee_count=count,
                status=_status(rng, start, end, today),
                dietary_notes=rng.choice(("", "", "2人清真", "1人素食", "少辣")),
            )
        )
    classes = _bulk(TrainingClass, classes)
    # Timetables: per day two slots; a lecturer and a classroom hold one session per slot.
    lecturer_busy: set[tuple[int, dt.date, int]] = set()
    room_busy: set[tuple[str, dt.date, int]] = set()
    sessions: list[Session] = []
    bed_taken: dict[dt.date, set[int]] = {}
    bed_nights: list[BedNight] = []
    meals: list[MealPlan] = []
    for klass in classes:
        live = klass.status != ClassStatus.CANCELLED
        for d in range(klass.days):
            day = klass.starts_on + dt.timedelta(days=d)
            n = klass.trainee_count
            meals.append(
                MealPlan(
                    training_class=klass,
                    day=day,
                    breakfasts=0 if d == 0 else n,
                    lunches=n,
                    dinners=0 if d == klass.days - 1 else n,
                    dietary_notes=klass.dietary_notes,
                )
            )
            for slot, (hour, minute) in enumerate(SLOTS):
                if d == klass.days - 1 and slot == 1:
                    continue  # the last afternoon is for the journey home
                course = rng.choice(courses)
                lecturer_id = next(
                    (lid for lid in teaches[course.pk] if (lid, day, slot) not in lecturer_busy),
                    None,
                )
                if course.format == CourseFormat.SITE_VISIT:
                    room = course.site
                else:
                    room = next((r for r in CLASSROOMS if (r, day, slot) not in room_busy), "")
                if live:
                    if lecturer_id:
                        lecturer_busy.add((lecturer_id, day, slot))
                    if room and course.format != CourseFormat.SITE_VISIT:
                        room_busy.add((room, day, slot))
                starts = dates.day_start(day) + dt.timedelta(hours=hour, minutes=minute)
                sessions.append(
                    Session(
                        training_class=klass,
                        course=course,
                        lecturer_id=lecturer_id,
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(minutes=course.duration_minutes),
                        room=room,
                        fee=course.fee,
                        cancelled=not live,
                    )
                )
        if not live or klass.days < 2:
            continue
        nights = [klass.starts_on + dt.timedelta(days=i) for i in range(klass.days - 1)]
        taken = [bed_taken.setdefault(night, set()) for night in nights]
        free = [b for b in beds if all(b.pk not in t for t in taken)][: klass.trainee_count]
        for night, t in zip(nights, taken, strict=True):
            for bed in free:
                t.add(bed.pk)
                bed_nights.append(
                    BedNight(bed=bed, night=night, training_class=klass, rate=bed.room.rate)
                )
    sessions = _bulk(Session, sessions)
    _bulk(BedNight, bed_nights, 5000)
    _bulk(MealPlan, meals)
    # Rosters for the last year's and the coming classes; check-ins of the last 60 days.
    recent = [
        c
        for c in classes
        if c.starts_on >= today - dt.timedelta(days=365) and c.status != ClassStatus.CANCELLED
    ]
    trainees = _bulk(
        Trainee,
        [
            Trainee(
                training_class=c,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                position=rng.choice(("社区书记", "网格员", "社区主任", "党务工作者", "街道干部")),
            )
            for c in recent
            for _i in range(c.trainee_count)
        ],
        5000,
    )
    roster: dict[int, list[Trainee]] = {}
    for person in trainees:
        roster.setdefault(person.training_class_id, []).append(person)
    now = dates.local_now()
    attendance: list[Attendance] = []
    for s in sessions:
        klass_id = s.training_class_id
        if s.cancelled or klass_id not in roster or s.starts_at > now:
            continue
        if s.starts_at < now - dt.timedelta(days=60):
            continue
        for person in roster[klass_id]:
            if rng.random() < 0.95:
                attendance.append(
                    Attendance(
                        session=s,
                        trainee=person,
                        checked_in_at=s.starts_at - dt.timedelta(minutes=rng.randint(1, 15)),
                    )
                )
    _bulk(Attendance, attendance, 5000)
    counted = (ClassStatus.CONFIRMED, ClassStatus.IN_PROGRESS, ClassStatus.COMPLETED)
    return {
        "Training course categories": len(CATEGORIES),
        "Training courses": len(courses),
        "Training lecturers": len(_lecturers),
        "Training classes": len(classes),
        "Trainee visits": sum(c.trainee_count for c in classes if c.status in counted),
        "Training sessions": len(sessions),
        "Bed-nights": len(bed_nights),
    }
