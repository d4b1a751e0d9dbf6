"""`core.db.planned_for_each_run`: on PostgreSQL nothing inside is prepared, and the
connection prepares again afterwards; elsewhere it changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from linli.core.db import planned_for_each_run
from linli.registry.models import Community

pytestmark = pytest.mark.django_db


def test_statements_inside_are_planned_for_their_own_parameters():
    with planned_for_each_run():
        assert Community.objects.filter(code="x").count() == 0
        if connection.vendor == "postgresql":
            assert connection.connection.prepare_threshold is None
    if connection.vendor == "postgresql":
        assert connection.connection.prepare_threshold == 5


def test_a_failure_inside_leaves_the_connection_preparing_again():
    with pytest.raises(ZeroDivisionError), planned_for_each_run():
        1 / 0
    if connection.vendor == "postgresql":
        assert connection.connection.prepare_threshold == 5
