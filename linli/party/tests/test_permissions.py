"""Who reads which Party page and API answer is walked by the resolver-driven persona walk
(`linli/core/tests/test_route_walk.py`) from this app's cases in `walk_cases.py`. What stays
here: who may change a central household's links, and a malformed link being a form error."""

from __future__ import annotations

import pytest

from linli.testing.world import PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organiser_and_the_admin_link_a_household_to_a_central_household(
    persona, world, party, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(
        f"/api/party/central-households/{party.central.public_id}/links",
        {"household_id": str(world.household_a2.public_id)},
        content_type="application/json",
    )
    changes = persona in ("admin", "organiser")
    assert response.status_code == (201 if changes else 404), (persona, response.content)


def test_a_link_to_a_malformed_target_is_a_form_error_not_a_500(
    world, party, organiser, client_for
):
    from linli.party.models import HouseholdLink

    client = client_for(organiser)
    bad = client.post(
        f"/party/central/{party.central.public_id}/household/", {"target": "nope"}, follow=True
    )
    assert bad.status_code == 200  # back on the central household, with the form's error
    assert [m.level_tag for m in bad.context["messages"]] == ["error"]
    assert not HouseholdLink.objects.exists()
