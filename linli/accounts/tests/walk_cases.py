"""Signing in and accounts in the persona walk (`linli.testing.walk`)."""

from linli.testing.walk import Case, everyone

CASES = {
    "accounts:login": Case(expect={"anonymous": 200}),
    "accounts:invite": Case(lambda s: {"public_id": s.world.household_a1.public_id}),
    "/api/accounts/me": Case(expect=everyone()),
}
