"""Pages and API of the training base: a class booked end to end through the API, bad input
answered 400 with nothing written, the pages rendering for staff (phones masked), exports, and
constant query counts for the lists, the quote and the totals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from linli.testing import assert_constant_queries, assert_no_plain_pii
from linli.training import selectors, services
from linli.training.models import BedNight, Course, Trainee, TrainingClass
from linli.training.tests.conftest import START, at, book

CLASS_BODY = {
    "name": "苏州网格员业务培训班",
    "organisation": "苏州市委组织部",
    "province": "江苏省",
    "city": "苏州",
    "contact_name": "周强",
    "contact_phone": "13912345678",
    "starts_on": "2030-05-06",
    "ends_on": "2030-05-08",
    "trainee_count": 3,
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_class_is_booked_through_the_api_and_its_quote_adds_up(base, trainer, client_for):
    client = client_for(trainer)
    r = post(client, "/api/training/classes", CLASS_BODY)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["contact_phone"] == "139****5678"
    pid = data["public_id"]
    r = post(
        client,
        f"/api/training/classes/{pid}/sessions",
        {"course_id": base.course.pk, "starts_at": "2030-05-06T09:00:00+08:00",
         "lecturer_id": base.lecturer.pk, "room": "一号教室"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert post(client, f"/api/training/classes/{pid}/lodging", {"beds": 3}).status_code == 201
    r = post(
        client,
        f"/api/training/classes/{pid}/meals",
        {"day": "2030-05-07", "breakfasts": 3, "lunches": 3, "dinners": 3},
    )
    assert r.status_code == 200, r.content
    quote = client.get(f"/api/training/classes/{pid}/quote").json()
    assert Decimal(quote["courses_total"]) == Decimal("240.00")
    assert Decimal(quote["lodging_total"]) == Decimal("720.00")  # 3 beds × 2 nights × 120
    assert Decimal(quote["meals_total"]) == Decimal("225.00")  # 3 × (15 + 30 + 30)
    assert Decimal(quote["total"]) == Decimal("1185.00")
    r = post(client, f"/api/training/classes/{pid}/transition", {"transition": "confirm"})
    assert r.json()["status"] == "confirmed"
    totals = client.get("/api/training/totals").json()
    assert totals["by_year"] == [{"label": "2030", "classes": 1, "visits": 3}]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ends_on": "2030-05-01"}, "invalid_date"),
        ({"trainee_count": 0}, "invalid_number"),
        ({"trainee_count": -5}, "invalid_number"),
        ({"province": "Atlantis"}, "invalid_choice"),
    ],
)
def test_bad_class_input_is_a_400_and_writes_nothing(base, trainer, client_for, changes, code):
    r = post(client_for(trainer), "/api/training/classes", {**CLASS_BODY, **changes})
    assert r.status_code == 400, r.content
    assert r.json()["code"] == code
    assert TrainingClass.objects.count() == 0


def test_more_beds_than_exist_and_a_three_decimal_fee_are_400s(base, trainer, client_for):
    client = client_for(trainer)
    klass = book(base)
    r = post(client, f"/api/training/classes/{klass.public_id}/lodging", {"beds": 99})
    assert r.status_code == 400
    assert r.json()["code"] == "not_enough_beds"
    assert BedNight.objects.count() == 0
    count = Course.objects.count()
    r = post(
        client,
        "/api/training/courses",
        {"category_id": base.course.category_id, "title": "新课", "format": "lecture",
         "duration_minutes": 60, "fee": "12.345"},
    )  # fmt: skip
    assert r.status_code == 400
    assert r.json() | {"message": ""} == {"code": "invalid_number", "field": "fee", "message": ""}
    assert Course.objects.count() == count
    r = post(
        client,
        "/api/training/courses",
        {"category_id": base.course.category_id, "title": "新课", "format": "lecture",
         "duration_minutes": 60, "fee": 12.5},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    assert r.json()["fee"] == "12.50"


def test_others_get_404_everywhere(base, worker_a, other_admin, resident_user, client_for):
    klass = book(base)
    for user in (worker_a, resident_user, other_admin):
        client = client_for(user)
        assert client.get(reverse("training:class", args=[klass.public_id])).status_code == 404
        assert client.get(f"/api/training/classes/{klass.public_id}/quote").status_code == 404
        r = post(client, f"/api/training/classes/{klass.public_id}/lodging", {"beds": 1})
        assert r.status_code == 404
    for user in (worker_a, resident_user):
        assert client_for(user).get(reverse("training:classes")).status_code == 404
        assert client_for(user).get("/api/training/classes").status_code == 404
    assert BedNight.objects.count() == 0


def test_the_class_page_books_lodging_and_shows_the_quote(base, trainer, client_for, english):
    client = client_for(trainer)
    r = client.post(
        reverse("training:class_new"),
        {**CLASS_BODY, "trainee_count": "-1"},
    )
    assert r.status_code == 200
    assert "from 1 to" in r.content.decode()
    assert TrainingClass.objects.count() == 0
    r = client.post(reverse("training:class_new"), CLASS_BODY)
    klass = TrainingClass.objects.get()
    assert r.status_code == 302
    url = reverse("training:class", args=[klass.public_id])
    r = client.post(url, {"action": "lodging", "beds": "7"})
    assert r.status_code == 200
    assert "only 6 beds" in r.content.decode()
    client.post(url, {"action": "lodging", "beds": "3"})
    client.post(url, {"action": "meals_stay"})
    client.post(
        url,
        {"action": "session", "course": base.visit.pk, "starts_at": "2030-05-06T14:00",
         "lecturer": "", "room": ""},
    )  # fmt: skip
    client.post(url, {"action": "roster", "names": "甲\n乙"})
    client.post(url, {"action": "transition", "transition": "confirm"})
    page = client.get(url)
    text = page.content.decode()
    quote = selectors.class_quote(klass)
    # 3 × 60.50 + 3 beds × 2 nights × 120 + 3 × (30 + 30 | 15 + 30 + 30 | 15 + 30)
    assert quote.total == Decimal("181.50") + Decimal("720.00") + Decimal("540.00")
    assert f'data-testid="quote-total">{quote.total:,.2f}' in text
    assert "139****5678" in text and "13912345678" not in text
    assert Trainee.objects.filter(training_class=klass).count() == 2
    conf = client.get(reverse("training:confirmation", args=[klass.public_id]))
    assert f"{quote.total:,.2f}" in conf.content.decode()
    assert_no_plain_pii(conf.content.decode(), [])


def test_pages_render_for_staff(base, trainer, client_for):
    klass = book(base)
    s = services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
    )
    client = client_for(trainer)
    for name, args in (
        ("training:classes", []),
        ("training:courses", []),
        ("training:lecturers", []),
        ("training:lodging", []),
        ("training:totals", []),
        ("training:checkin", [s.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for what in ("classes", "totals"):
        r = client.get(reverse("training:export", args=[what]))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_lists_quote_and_totals_run_constant_queries(base, trainer, client_for):
    client = client_for(trainer)
    made: list[TrainingClass] = []

    def grow(n: int) -> None:
        while len(made) < n:
            k = book(base, trainees=2, start=START + dt.timedelta(days=7 * len(made)))
            services.class_transition(actor=base.actor, public_id=k.public_id, transition="confirm")
            services.session_add(
                actor=base.actor,
                public_id=k.public_id,
                course_id=base.course.pk,
                starts_at=at(k.starts_on, 9),
                lecturer_id=base.lecturer.pk,
            )
            services.lodging_book(actor=base.actor, public_id=k.public_id, beds=2)
            services.meals_plan_stay(actor=base.actor, public_id=k.public_id)
            made.append(k)

    assert_constant_queries(lambda n: client.get(reverse("training:classes")), [1, 5], setup=grow)
    assert_constant_queries(lambda n: client.get("/api/training/classes"), [5, 8], setup=grow)
    assert_constant_queries(lambda n: client.get(reverse("training:totals")), [8, 10], setup=grow)
    assert_constant_queries(
        lambda n: client.get(reverse("training:class", args=[made[n - 1].public_id])),
        [1, 10],
    )
    assert_constant_queries(lambda n: selectors.class_quote(made[n - 1]), [1, 10])
    assert_constant_queries(lambda n: client.get(reverse("training:courses")), [1, 2])


def test_classes_and_totals_export_through_the_api(base, trainer, client_for):
    from linli.core.models import AuditEvent

    client = client_for(trainer)
    for url in ("/api/training/classes/export?year=2030", "/api/training/totals/export"):
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="export").count() == 2
