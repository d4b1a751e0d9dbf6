"""Every write of the request desk. Each service is keyword-only with `actor` first, runs in
one transaction, loads its request through the permission engine (outside the scope is a 404),
changes the status only through `choices.REQUEST_MACHINE`, writes a `RequestEvent` and an audit row
in the same transaction, and notifies people after the commit.

Contention is settled by the database: a transition is a conditional UPDATE on the status it
starts from, so of two workers accepting one request at once exactly one updates a row and the
other is told who was first.

The package is split along its seams — `categories` (the catalogue), `filing` (every
channel's entry point), `transitions` (a request's life), `roster` (duty roster and escalation
contacts) and `sweep` (time limits and escalation) — and re-exports the public names here, so
callers import `linli.hotline.services` and never a submodule.
"""

from linli.hotline.services._common import SYSTEM
from linli.hotline.services.categories import (
    CategoryInput,
    categories_ensure_defaults,
    category_update,
)
from linli.hotline.services.filing import request_file
from linli.hotline.services.roster import duty_add, duty_remove, escalation_contact_set
from linli.hotline.services.sweep import SweepResult, request_sweep, request_sweep_one
from linli.hotline.services.transitions import (
    request_accept,
    request_cancel,
    request_check_in,
    request_close,
    request_merge,
    request_note,
    request_rate,
    request_rate_from_call,
    request_reassign,
    request_reopen,
    request_resolve,
)

__all__ = [
    "SYSTEM",
    "CategoryInput",
    "SweepResult",
    "categories_ensure_defaults",
    "category_update",
    "duty_add",
    "duty_remove",
    "escalation_contact_set",
    "request_accept",
    "request_cancel",
    "request_check_in",
    "request_close",
    "request_file",
    "request_merge",
    "request_note",
    "request_rate",
    "request_rate_from_call",
    "request_reassign",
    "request_reopen",
    "request_resolve",
    "request_sweep",
    "request_sweep_one",
]
