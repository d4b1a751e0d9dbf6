"""The day-care part of the Wenchang demo: three classes (托小班, 托大班 and a mixed class) with
about 30 children of the registry's 0–3 year olds, their guardians' consent and pickup lists,
four carers (the `nursery` login and three more), six months of rosters and attendance with the
morning and noon checks, and a few refused pickups. Written with `bulk_create`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from linli.accounts.models import RoleAssignment, User
from linli.core import dates, pii
from linli.core.demo_hooks import DemoContext
from linli.core.roles import Role
from linli.nursery.choices import (
    BAND_RULES,
    CONSENT_TEXT_VERSION,
    Band,
    ChildStatus,
    HealthResult,
    Mood,
    Presence,
)
from linli.nursery.models import (
    Attendance,
    Child,
    NurseryClass,
    PickupPerson,
    PickupRefusal,
    RosterEntry,
)
from linli.nursery.services import CONSENT_TEXT, age_in_months
from linli.registry.choices import ResidentStatus
from linli.registry.models import Community, Resident

CLASSES = (("托小班", Band.TODDLER, 12), ("托大班", Band.OLDER, 12), ("混龄班", Band.MIXED, 8))
CARERS = (("nursery_li", "李老师"), ("nursery_zhou", "周老师"), ("nursery_sun", "孙老师"))
CLINICS = ("广陵区妇幼保健所", "曲江街道社区卫生服务中心")
RELATIONS = ("外婆", "奶奶", "爷爷", "姑姑", "阿姨")
SURNAMES = "王李张刘陈杨黄赵吴周"
HISTORY_DAYS = 183


def build_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    community = Community.objects.get(code=ctx.main_community_code)
    start = today - dt.timedelta(days=HISTORY_DAYS)
    classes = NurseryClass.objects.bulk_create(
        [
            NurseryClass(
                community=community,
                name=name,
                band=band,
                capacity=BAND_RULES[band].max_children,
                children_per_carer=BAND_RULES[band].children_per_carer,
                room=f"睦邻中心{i + 1}01",
            )
            for i, (name, band, _n) in enumerate(CLASSES)
        ]
    )
    # The registry's little ones (and the adults of their households).
    youngest_born = today - dt.timedelta(days=30 * 12)
    oldest_born = start - dt.timedelta(days=30 * 35)
    kids = list(
        Resident.objects.filter(
            community=community,
            status=ResidentStatus.ACTIVE,
            birth_date__gt=oldest_born,
            birth_date__lte=youngest_born,
        ).order_by("id")
    )
    adults: dict[int, list[Resident]] = {}
    for r in Resident.objects.filter(
        household_id__in={k.household_id for k in kids},
        status=ResidentStatus.ACTIVE,
        birth_date__lte=today - dt.timedelta(days=365 * 20),
    ).order_by("birth_date"):
        adults.setdefault(r.household_id, []).append(r)
    remaining = {c.id: n for c, (_name, _band, n) in zip(classes, CLASSES, strict=True)}
    seats = {c.id: 0 for c in classes}
    children: list[Child] = []
    people: list[PickupPerson] = []
    for kid in kids:
        guardians = adults.get(kid.household_id) or []
        if not guardians:
            continue
        enrol_on = max(start, kid.birth_date + dt.timedelta(days=31 * 12))
        months = age_in_months(kid.birth_date, enrol_on)
        cls = next(
            (
                c
                for c in classes
                if remaining[c.id] > 0
                and BAND_RULES[c.band].min_months <= months < BAND_RULES[c.band].max_months
            ),
            None,
        )
        if cls is None:
            continue
        remaining[cls.id] -= 1
        seats[cls.id] += 1
        guardian = guardians[-1]  # the youngest adult: most often a parent
        children.append(
            Child(
                community=community,
                resident=kid,
                household_id=kid.household_id,
                nursery_class=cls,
                status=ChildStatus.ENROLLED,
                seat=seats[cls.id],
                start_date=enrol_on,
                consent_by=guardian,
                consent_at=dates.at(enrol_on - dt.timedelta(days=7), 10, 0),
                consent_text=CONSENT_TEXT,
                consent_version=CONSENT_TEXT_VERSION,
                health_checked_on=enrol_on - dt.timedelta(days=14),
                health_clinic=rng.choice(CLINICS),
                health_result=HealthResult.FIT,
                allergies=rng.choice(["", "", "", "鸡蛋", "芒果", "青霉素"]),
            )
        )
    # Two on the waiting list (no seat) when the registry has more children than seats.
    Child.objects.bulk_create(children)
    for child in children:
        household_adults = adults[child.household_id]
        for g in household_adults[-2:]:
            people.append(
                PickupPerson(
                    child=child,
                    resident=g,
                    name=g.name,
                    relation="监护人",
                    is_guardian=True,
                    phone_encrypted=g.phone_encrypted,
                    phone_hash=g.phone_hash,
                    phone_masked=g.phone_masked,
                )
            )
        phone = f"139{rng.randrange(10**8):08d}"
        people.append(
            PickupPerson(
                child=child,
                name=rng.choice(SURNAMES) + rng.choice("秀英桂兰建华玉梅"),
                relation=rng.choice(RELATIONS),
                phone_encrypted=pii.encrypt(phone),
                phone_hash=pii.lookup_hash("phone", phone),
                phone_masked=pii.mask_phone(phone),
            )
        )
    PickupPerson.objects.bulk_create(people)
    # Carers: the `nursery` login and three more.
    carer_users = list(User.objects.filter(username="nursery"))
    for username, name in CARERS:
        user = User(username=username, display_name=name)
        user.set_unusable_password()
        carer_users.append(user)
    User.objects.bulk_create([u for u in carer_users if u.pk is None])
    carer_users = list(
        User.objects.filter(
            Q(username="nursery") | Q(username__in=[c[0] for c in CARERS])
        ).order_by("id")
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=Role.NURSERY_CARER, community=community)
            for u in carer_users
            if u.username != "nursery"
        ]
    )
    labels = {u.id: (u.display_name or u.username) for u in carer_users}
    by_pickup: dict[int, list[PickupPerson]] = {}
    for p in people:
        by_pickup.setdefault(p.child_id, []).append(p)
    roster: list[RosterEntry] = []
    rows: list[Attendance] = []
    refusals: list[PickupRefusal] = []
    day = start
    while day <= today:
        if day.weekday() < 5:
            for i, cls in enumerate(classes):
                on_duty = [
                    carer_users[i % len(carer_users)],
                    carer_users[(i + 1 + day.day) % len(carer_users)],
                ]
                for u in {u.id: u for u in on_duty}.values():
                    roster.append(
                        RosterEntry(nursery_class=cls, day=day, carer=u, carer_label=labels[u.id])
                    )
            for child in children:
                if child.start_date > day:
                    continue
                if day == today:
                    continue  # today is for the staff to record live
                absent = rng.random() < 0.08
                pickers = by_pickup[child.id]
                if absent:
                    rows.append(
                        Attendance(
                            child=child,
                            nursery_class_id=child.nursery_class_id,
                            day=day,
                            presence=Presence.ABSENT,
                            absence_reason=rng.choice(["感冒", "家中有事", "回老家"]),
                            absence_by_guardian=rng.random() < 0.7,
                        )
                    )
                    continue
                temp = Decimal(rng.choice(["36.3", "36.5", "36.6", "36.7", "36.8", "37.0"]))
                rows.append(
                    Attendance(
                        child=child,
                        nursery_class_id=child.nursery_class_id,
                        day=day,
                        presence=Presence.PRESENT,
                        arrived_at=dates.at(day, 7, 40 + rng.randrange(20)),
                        morning_temperature=temp,
                        morning_hands_mouth_ok=rng.random() > 0.02,
                        morning_mood=rng.choice([Mood.GOOD, Mood.GOOD, Mood.CALM, Mood.UPSET]),
                        noon_temperature=temp,
                        noon_ok=True,
                        picked_up_at=dates.at(day, 16, 30 + rng.randrange(29)),
                        picked_up_by=rng.choice(pickers),
                        recorded_by=carer_users[0],
                    )
                )
                if rng.random() < 0.002:
                    refusals.append(
                        PickupRefusal(child=child, person_name="陌生人", relation="自称舅舅")
                    )
        day += dt.timedelta(days=1)
    RosterEntry.objects.bulk_create(roster)
    Attendance.objects.bulk_create(rows, batch_size=2000)
    PickupRefusal.objects.bulk_create(refusals)
    return {
        "Day-care classes": len(classes),
        "Day-care children": len(children),
        "Attendance days": len(rows),
    }
