"""The Jinja2 environment of the hot row loops (linli/core/jinja.py): it escapes what residents
typed, speaks the same catalogue as the Django templates, and its helpers give what the Django
tags gave."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from linli.core.jinja import environment, url
from linli.core.models import AuditEvent
from linli.core.templatetags.linli import status_badge


def render(source: str, **context: object) -> str:
    return environment().from_string(source).render(context)


def test_a_residents_text_is_escaped_and_a_django_safe_badge_is_not_escaped_twice() -> None:
    name = '<script>alert("x")</script> & Co'
    html = render("<td>{{ name }}</td>{{ badge }}", name=name, badge=status_badge(name, "red"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    # the badge is markup built by Django (format_html already escaped the label once)
    assert '<span class="badge bg-red-lt" data-testid="status">&lt;script&gt;' in html
    assert "&amp;lt;" not in html


def test_strings_come_from_the_django_catalogue_in_chinese_and_english() -> None:
    source = (
        '{{ _("Nobody matches.") }} '
        '{{ ngettext("%(counter)s resident", "%(counter)s residents", n, counter=n) }}'
    )
    with translation.override("zh-hans"):
        assert render(source, n=3) == "没有符合条件的结果。 3 名居民"
    with translation.override("en"):
        assert render(source, n=1) == "Nobody matches. 1 resident"
        assert render(source, n=2) == "Nobody matches. 2 residents"


def test_url_is_djangos_reverse() -> None:
    public_id = uuid.uuid4()
    assert render("{{ url('registry:resident', pid) }}", pid=public_id) == reverse(
        "registry:resident", args=[public_id]
    )
    assert render("{{ url('home') }}") == reverse("home")


def test_url_fills_ids_into_a_path_reversed_once_and_reverses_everything_else() -> None:
    for _ in range(2):  # the second time from the remembered path
        public_id = uuid.uuid4()
        assert url("registry:resident", public_id) == reverse("registry:resident", args=[public_id])
        assert url("party:organisation", 42) == reverse("party:organisation", args=[42])
    # not ids, or not what the route takes: Django's reverse, which checks them
    with pytest.raises(NoReverseMatch):
        url("registry:resident", "not-a-uuid")
    with pytest.raises(NoReverseMatch):
        url("party:organisation", -1)
    with pytest.raises(NoReverseMatch):
        url("registry:resident", 7)  # an int where the route wants a UUID


def test_filters_behave_like_djangos() -> None:
    at = dt.datetime(2026, 3, 1, 17, 5, tzinfo=dt.UTC)  # 2 March, 01:05 in Shanghai
    assert render('{{ at|date("m-d H:i") }}', at=at) == "03-02 01:05"
    assert render('{{ at|date("m-d H:i") }}', at=None) == ""
    assert render("{{ text|truncatechars(5) }}", text="abcdefgh") == truncatechars("abcdefgh", 5)
    assert render("{{ text|truncatechars(5) }}", text="abcd") == "abcd"
    assert render('{{ "" |default("—") }}|{{ 0|default("—") }}|{{ "x"|default("—") }}') == "—|—|x"
    assert render("{{ h|floatformat(2) }}", h=1.5) == "1.50"


@pytest.mark.parametrize(
    "fmt",
    ["m-d H:i", "Y-m-d", "Y-m-d H:i:s", "H:i", "d/m/Y", "Y年m月d日", "n/j G:i", "DATE_FORMAT"],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_date_filter_writes_what_djangos_writes(fmt: str, language: str) -> None:
    times = [
        dt.datetime(2026, 3, 1, 17, 5, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC),  # the new year in Shanghai
        dt.datetime(2026, 7, 4, 9, 30),  # noqa: DTZ001  (naive: shown as it is)
    ]
    with translation.override(language):
        for at in times:
            want = Template("{{ at|date:fmt }}").render(Context({"at": at, "fmt": fmt}))
            assert render("{{ at|date(fmt) }}", at=at, fmt=fmt) == want, (at, fmt)


def test_truncatechars_writes_what_djangos_writes() -> None:
    texts = ["", "abcd", "abcde", "abcdef", "楼上装修太吵，晚上十点还在打电钻", "e\u0301tage 5"]
    for text in texts:
        for n in (1, 5, 6, 80):
            assert render("{{ t|truncatechars(n) }}", t=text, n=n) == truncatechars(text, n)


def test_display_is_the_choice_label_in_the_current_language() -> None:
    event = AuditEvent(action=AuditEvent.Action.MOVE_IN)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert render('{{ display(e, "action") }}', e=event) == event.get_action_display()
    with translation.override("en"):
        assert render('{{ display(e, "action") }}', e=event) == "Move in"


def test_the_jinja_tag_renders_a_fragment_with_the_django_context() -> None:
    page = Template('{% load linli %}<ul>{% jinja "party/_coverage_rows.jinja" %}</ul>')
    with translation.override("en"):
        empty = page.render(Context({"page": [], "show": "households"}))
    assert '<li class="list-group-item text-secondary">Nothing missing.</li>' in empty
    with translation.override("en"):
        row = page.render(
            Context({"page": [{"address": "1-2-301 <b>", "building": None}], "show": "households"})
        )
    assert "1-2-301 &lt;b&gt;" in row
    assert "Nothing missing." not in row
