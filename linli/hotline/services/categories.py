"""The catalogue's writes: a community's default categories (created explicitly, never as a
side effect of a lookup) and an admin's edits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for
from linli.hotline import catalogue
from linli.hotline.models import Category
from linli.hotline.permissions import MANAGE
from linli.hotline.selectors import CATEGORIES


@dataclass(frozen=True)
class CategoryInput:
    name: str
    priority: str
    contact_minutes: int | None
    visit_minutes: int | None
    resolve_minutes: int
    questions: list[dict[str, Any]]
    active: bool = True
    description: str = ""


@transaction.atomic
def category_update(*, actor: Actor, category_id: int, data: CategoryInput) -> Category:
    """Edit a category's name, priority, time limits and questions (community admins)."""
    category = access(actor, MANAGE, Category.objects.select_for_update(), pk=category_id)
    if not data.name.strip():
        raise DomainError(_("A category needs a name."), code=CoreError.REQUIRED, field="name")
    for field_name, value in (
        ("contact_minutes", data.contact_minutes),
        ("visit_minutes", data.visit_minutes),
        ("resolve_minutes", data.resolve_minutes),
    ):
        if value is not None and not 1 <= value <= 60 * 24 * 365:
            raise DomainError(
                _("A time limit is between 1 minute and a year."),
                code=CoreError.INVALID_NUMBER,
                field=field_name,
            )
    questions = catalogue.clean_questions(data.questions)
    fields = ["name", "priority", "contact_minutes", "visit_minutes", "resolve_minutes", "active"]
    before = {f: getattr(category, f) for f in fields}
    before["questions"] = category.questions
    category.name = data.name.strip()[:50]
    category.description = data.description.strip()[:200]
    category.priority = data.priority
    category.contact_minutes = data.contact_minutes
    category.visit_minutes = data.visit_minutes
    category.resolve_minutes = data.resolve_minutes
    category.questions = questions
    category.active = data.active
    category.save()
    CATEGORIES.changed()
    after = {f: getattr(category, f) for f in fields}
    after["questions"] = questions
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=category,
        community_id=category.community_id,
        before=before,
        after=after,
    )
    return category


@transaction.atomic
def categories_ensure_defaults(*, actor: Actor, community_id: int) -> int:
    """Give a community the default catalogue (codes it already has are left alone) and return
    how many categories were added. The one place categories are created: the demo calls it
    for every community, a community admin from the settings page when his community has none,
    and nothing that only reads ever does. `actor` is a community admin of the community, or
    a system actor (no user: the demo, a setup script, which audits its run itself). A
    community admin's setup is audited."""
    if actor.user_id is not None and community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    existing = set(
        Category.objects.filter(community_id=community_id).values_list("code", flat=True)
    )
    rows = []
    for order, seed in enumerate(catalogue.DEFAULT_CATALOGUE):
        if seed.code in existing:
            continue
        contact, visit, resolve = catalogue.default_limits(seed.priority)
        rows.append(
            Category(
                community_id=community_id,
                code=seed.code,
                name=seed.name,
                group=seed.group,
                description=seed.description,
                priority=seed.priority,
                contact_minutes=contact,
                visit_minutes=visit,
                resolve_minutes=resolve,
                questions=seed.questions,
                order=(order + 1) * 10,
            )
        )
    if not rows:
        return 0
    Category.objects.bulk_create(rows, ignore_conflicts=True)
    CATEGORIES.changed()
    if actor.user_id is None:
        return len(rows)  # a setup run (the demo) records itself, once
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        object_type="hotline.category",
        object_id=f"community:{community_id}",
        object_label=_("Default request categories"),
        community_id=community_id,
        after={"codes": [row.code for row in rows]},
    )
    return len(rows)
