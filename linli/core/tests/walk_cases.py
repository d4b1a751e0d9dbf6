"""The audit trail's routes in the persona walk (`linli.testing.walk`)."""

from linli.testing.walk import Case, Known, sees

AUDITORS = ("admin", "other_admin")

CASES = {
    "core:audit": Case(expect=sees(*AUDITORS)),
    "/api/audit/events": Case(expect=sees(*AUDITORS)),
}

# Problems the walk found and an open issue is fixing: none left.
KNOWN: list[Known] = []
