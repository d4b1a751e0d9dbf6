"""Editing a store item never overwrites stock that redemptions took meanwhile (issue 8 item
12): the form changes stock by a number added or removed, settled in the database."""

from html.parser import HTMLParser

import pytest

from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.volunteers import points
from linli.volunteers.tests.conftest import fund


class _FormFields(HTMLParser):
    """The values a browser would submit for the page's POST form, as loaded."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = "on"
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def loaded_form(client, url: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.values


def test_a_stale_edit_form_keeps_the_stock_redeemed_meanwhile(
    world, admin, resident_user, actor_of, client_for, resident_account, item
):
    staff = client_for(admin)
    url = f"/volunteers/store/{item.id}/edit/"
    form = loaded_form(staff, url)  # the admin opens the form: 10 in stock
    fund(resident_account, 90)
    points.points_redeem(actor=actor_of(resident_user), item_id=item.id, quantity=3)
    form["price"] = "25"  # ... and saves a new price a minute later
    assert staff.post(url, form).status_code == 302
    item.refresh_from_db()
    assert (item.price, item.stock) == (25, 7)


def test_restocking_adds_to_what_is_left(
    world, admin, resident_user, actor_of, client_for, resident_account, item
):
    staff = client_for(admin)
    url = f"/volunteers/store/{item.id}/edit/"
    form = loaded_form(staff, url)
    fund(resident_account, 60)
    points.points_redeem(actor=actor_of(resident_user), item_id=item.id, quantity=2)
    form["stock_change"] = "5"
    staff.post(url, form)
    item.refresh_from_db()
    assert item.stock == 13
    audit = AuditEvent.objects.filter(object_type="volunteers.storeitem").latest("id")
    assert audit.before["stock"] == 8 and audit.after["stock"] == 13


def test_removing_more_than_is_left_is_refused_on_the_form(world, admin, client_for, item, english):
    staff = client_for(admin)
    url = f"/volunteers/store/{item.id}/edit/"
    form = loaded_form(staff, url)
    form["stock_change"] = "-11"
    response = staff.post(url, form)
    assert response.status_code == 200
    assert 'data-testid="error-stock_change"' in response.content.decode()
    item.refresh_from_db()
    assert item.stock == 10


def test_the_service_changes_stock_by_a_delta_settled_in_the_database(admin, actor_of, item):
    staff = actor_of(admin)
    item.__class__.objects.filter(pk=item.pk).update(stock=4)  # redemptions meanwhile
    updated = points.store_item_update(
        actor=staff, item_id=item.id, name=item.name, price=item.price, stock_change=-3
    )
    assert updated.stock == 1
    with pytest.raises(DomainError) as exc:
        points.store_item_update(
            actor=staff, item_id=item.id, name=item.name, price=item.price, stock_change=-2
        )
    assert exc.value.field == "stock_change"
    item.refresh_from_db()
    assert item.stock == 1
