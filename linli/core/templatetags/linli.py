"""Template helpers: Tabler-styled form fields."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from linli.core.navigation import subnav_for, subnav_label

register = template.Library()


@register.filter
def styled(field: BoundField) -> SafeString:
    """Render a form field's widget with the CSS kit's classes."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.inclusion_tag("_subnav.html", takes_context=True)
def subnav(context: template.Context, group: str, section: str) -> dict[str, object]:
    """The tab bar of a domain's pages (`register_subnav`), showing only tabs the actor may
    use; `section` is the current tab's key."""
    perms = context.get("actor_perms") or frozenset()
    return {
        "entries": subnav_for(group, frozenset(perms)),
        "section": section,
        "label": subnav_label(group),
    }


@register.inclusion_tag("_pager.html", takes_context=True)
def pager(context: template.Context, page: object, query: str = "") -> dict[str, object]:
    """Previous / page n of m / next for a Django `Page`; `query` keeps the list's filters
    (a urlencoded string without `page`)."""
    return {"page": page, "query": query}


@register.simple_tag
def status_badge(label: object, tone: str = "secondary", testid: str = "status") -> SafeString:
    """A status shown the same way everywhere: `tone` is a Tabler colour
    (blue, green, red, orange, yellow, purple, teal, secondary). Built in Python rather than
    from a template: list pages render one or more per row (issue 16)."""
    return format_html(
        '<span class="badge bg-{}-lt" data-testid="{}">{}</span>\n', tone, testid, label
    )


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, name: str) -> SafeString:
    """Render the Jinja2 fragment `name` (`linli/core/jinja.py`) with this template's context:
    the row loop of a hot list page (issue 16). The fragment escapes its own output."""
    from linli.core.jinja import render

    # safe: Jinja2 escaped the fragment's output (autoescape)
    return mark_safe(render(name, context.flatten()))


@register.inclusion_tag("_household_panels.html", takes_context=True)
def household_panels(context: template.Context, household: object) -> dict[str, object]:
    """The boxes every domain registered for a household page (`hooks.register_household_panel`),
    each rendered with its own template and the context its callable returns for the actor."""
    from django.template.loader import render_to_string

    from linli.core.hooks import household_panels_for

    actor = context.get("actor")
    request = context.get("request")
    boxes = []
    if actor is not None:
        for panel in household_panels_for(actor):
            data = panel.context(actor, household.pk)  # type: ignore[attr-defined]
            if data is None:
                continue
            html = render_to_string(
                panel.template, {**data, "household": household}, request=request
            )
            boxes.append({"key": panel.key, "title": panel.title, "html": html})
    return {"boxes": boxes}
