"""The audit trail's routes in the persona walk (`linli.testing.walk`)."""

from linli.testing.walk import WALKERS, Case, Known, sees

AUDITORS = ("admin", "other_admin")

CASES = {
    "core:audit": Case(expect=sees(*AUDITORS)),
    "/api/audit/events": Case(expect=sees(*AUDITORS)),
}

# Found by the walk, being fixed under issue 8 (delete an entry when the walk reports it stale).
KNOWN = [
    # Django answers its own HTML 400 when the CSRF check cannot read the body; the API should
    # answer with its JSON error body.
    Known(
        "*",
        "multipart without a boundary: a 400 without the API's JSON error body",
        "issue 8: bad input gets the usual error body",
        frozenset(WALKERS),
    ),
]
