"""Pages of the doorstep jobs: overview, firms, orders with dispatch, a batch's quality check,
teams, workers and the outreach list, a worker's month and ledger, the month's statements and
firm settlements, one printable statement, statistics, and the worker's own phone pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import dates
from linli.core.forms import submit
from linli.core.permissions import has_perm
from linli.core.web import acting_community, actor_of, query_month, require_perm
from linli.jobs import selectors, services
from linli.jobs.forms import (
    CorrectionForm,
    DispatchForm,
    FirmForm,
    IssueForm,
    OrderForm,
    PayForm,
    ReturnForm,
    TeamForm,
    WorkerForm,
)
from linli.jobs.permissions import ISSUE, MANAGE, PORTAL, VIEW

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    month = dates.this_month()
    employed, average = selectors.month_figures(actor.community_ids, month)
    last = dates.add_months(month, -1)
    employed_last, average_last = selectors.month_figures(actor.community_ids, last)
    return render(
        request,
        "jobs/home.html",
        {
            "month": month,
            "employed": employed,
            "average": average,
            "last": last,
            "employed_last": employed_last,
            "average_last": average_last,
            "orders": list(selectors.order_list(actor, status="open")[:20]),
            "batches": selectors.recent_batches(actor, 15),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def firms(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    form = FirmForm(request.POST or None) if has_perm(actor, MANAGE) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.firm_create(
                actor=actor, community_id=acting_community(actor, MANAGE), **d
            ),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("jobs:firms")
    return render(
        request, "jobs/firms.html", {"firms": list(selectors.firm_list(actor)), "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def orders(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    form = None
    if has_perm(actor, MANAGE):
        form = OrderForm(
            request.POST or None, firms=[(f.id, f.name) for f in selectors.firm_list(actor)]
        )
    if request.method == "POST" and form is None:
        raise Http404
    if form is not None:
        created = submit(request, form, lambda d: services.order_create(actor=actor, **d))
        if created is not None:
            messages.success(request, _("Saved."))
            return redirect("jobs:order", order_id=created.id)
    status = request.GET.get("status") or ""
    page = Paginator(selectors.order_list(actor, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "jobs/orders.html", {"page": page, "form": form, "status": status})


@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    """An order and its batches; the dispatch form (never more than is left)."""
    actor = actor_of(request)
    found = selectors.order_get(actor, order_id)
    form = (
        DispatchForm(request.POST or None, workers=selectors.worker_choices(actor))
        if has_perm(actor, MANAGE)
        else None
    )
    if request.method == "POST" and form is None:
        raise Http404
    if form is not None:
        batch = submit(
            request, form, lambda d: services.batch_dispatch(actor=actor, order_id=found.id, **d)
        )
        if batch is not None:
            messages.success(request, _("Dispatched %(n)s pieces.") % {"n": batch.quantity})
            return redirect("jobs:order", order_id=found.id)
    return render(
        request,
        "jobs/order.html",
        {
            "order": found,
            "batches": list(selectors.order_batches(actor, found)[:200]),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A batch and its quality check: accepted, rejected (with a defect reason), rework."""
    actor = actor_of(request)
    found = selectors.batch_get(actor, batch_id)
    form = ReturnForm(request.POST or None) if has_perm(actor, MANAGE) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request, form, lambda d: services.batch_return(actor=actor, batch_id=found.id, **d)
        )
        is not None
    ):
        messages.success(request, _("Quality check recorded."))
        return redirect("jobs:worker", public_id=found.worker.public_id)
    return render(
        request,
        "jobs/batch.html",
        {"batch": found, "returns": list(found.returns.order_by("-on", "-id")), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    form = (
        TeamForm(request.POST or None, members=selectors.party_member_choices(actor))
        if has_perm(actor, MANAGE)
        else None
    )
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.team_create(
                actor=actor, community_id=acting_community(actor, MANAGE), **d
            ),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("jobs:teams")
    return render(
        request, "jobs/teams.html", {"teams": list(selectors.team_list(actor)), "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def workers(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    form = None
    if has_perm(actor, MANAGE):
        form = WorkerForm(
            request.POST or None,
            residents=selectors.resident_choices_for_workers(actor),
            teams=[(t.id, t.name) for t in selectors.team_list(actor)],
        )
    if request.method == "POST" and form is None:
        raise Http404
    if form is not None:
        added = submit(
            request,
            form,
            lambda d: services.worker_add(
                actor=actor, community_id=acting_community(actor, MANAGE), **d
            ),
        )
        if added is not None:
            messages.success(request, _("Saved."))
            return redirect("jobs:worker", public_id=added.public_id)
    q = (request.GET.get("q") or "").strip()[:50]
    page = Paginator(selectors.worker_list(actor, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/workers.html", {"page": page, "form": form, "q": q})


@login_required
def outreach(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return render(request, "jobs/outreach.html", {"people": selectors.outreach_list(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def worker(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A worker's month so far, open batches (each with its check), ledger and statements; a
    correction is a new ledger entry."""
    actor = actor_of(request)
    found = selectors.worker_get(actor, public_id)
    open_batches = list(selectors.open_batches(actor, found))
    form = None
    if has_perm(actor, MANAGE):
        choices = {b.order_id: f"{b.order.firm.name} · {b.order.product}" for b in open_batches}
        for e in selectors.worker_entries(found, 50):
            choices.setdefault(e.order_id, f"{e.firm.name} · {e.order.product}")
        form = CorrectionForm(request.POST or None, orders=list(choices.items()))
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.entry_correct(actor=actor, worker_public_id=found.public_id, **d),
        )
        is not None
    ):
        messages.success(request, _("Correction written to the ledger."))
        return redirect("jobs:worker", public_id=found.public_id)
    return render(
        request,
        "jobs/worker.html",
        {
            "worker": found,
            "month": selectors.worker_month(found, dates.this_month()),
            "open_batches": open_batches,
            "entries": selectors.worker_entries(found, 30),
            "statements": list(selectors.worker_statements(found)[:24]),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest) -> HttpResponse:
    """The month's statements and each firm's settlement (= the sum of its statement lines,
    checked against the ledger); the admin issues the month's statements once."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    month = query_month(request.GET.get("month")) or dates.add_months(dates.this_month(), -1)
    form = IssueForm(request.POST or None) if has_perm(actor, ISSUE) else None
    if request.method == "POST" and form is None:
        raise Http404
    if form is not None:
        issued = submit(
            request,
            form,
            lambda d: services.statements_issue(
                actor=actor, community_id=acting_community(actor, ISSUE), month=month
            ),
        )
        if issued is not None:
            messages.success(request, _("%(n)s statements issued.") % {"n": issued})
            return redirect(f"{request.path}?month={month:%Y-%m}")
    page = Paginator(selectors.statement_list(actor, month), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "jobs/statements.html",
        {
            "month": month,
            "prev": dates.add_months(month, -1),
            "next": dates.add_months(month, 1),
            "page": page,
            "settlements": selectors.settlements(actor, month),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One statement, printable on one page; the admin records its payment."""
    actor = actor_of(request)
    found = selectors.statement_get(actor, public_id)
    form = (
        PayForm(request.POST or None)
        if has_perm(actor, ISSUE) and found.status == "issued"
        else None
    )
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.statement_pay(actor=actor, public_id=found.public_id, **d),
        )
        is not None
    ):
        messages.success(request, _("Marked paid."))
        return redirect("jobs:statement", public_id=found.public_id)
    return render(
        request,
        "jobs/statement.html",
        {"statement": found, "lines": selectors.statement_lines(found), "form": form},
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    data = selectors.statistics_for(actor)
    # json_script encodes the series itself (a JSON string here would be encoded twice and the
    # charts would find no data)
    return render(request, "jobs/stats.html", {"stats": data, "chart": stats_chart(data)})


def stats_chart(data: selectors.Stats) -> dict[str, list[Any]]:
    """The series the ECharts charts of the statistics page draw."""
    return {
        "months": [f"{m.month:%Y-%m}" for m in data.months],
        "employed": [m.employed for m in data.months],
        "average": [str(m.average) for m in data.months],
        "median": [str(m.median) for m in data.months],
        "buckets": [label for label, _n in data.histogram],
        "counts": [n for _label, n in data.histogram],
    }


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The worker's phone page: my batches, my accepted pieces, my month so far, my statements."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    found = selectors.own_worker(actor)
    context: dict[str, object] = {"worker": found}
    if found is not None:
        context.update(
            month=selectors.worker_month(found, dates.this_month()),
            batches=selectors.worker_batches(found, 20),
            entries=selectors.worker_entries(found, 20),
            statements=list(selectors.worker_statements(found)[:12]),
        )
    return render(request, "jobs/me.html", context)


@login_required
def my_statement(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    found = selectors.own_statement(actor, public_id)
    return render(
        request,
        "jobs/statement.html",
        {"statement": found, "lines": selectors.statement_lines(found), "form": None, "own": True},
    )
