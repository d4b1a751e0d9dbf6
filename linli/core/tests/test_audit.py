from linli.registry import services


def _reveal(world, actor):
    services.resident_reveal(
        actor=actor, resident_public_id=world.resident_a1.public_id, field="phone", reason="回访"
    )


def test_admin_sees_reveals_of_his_community_only(
    world, admin, other_admin, worker_a, actor_of, client_for
):
    _reveal(world, actor_of(worker_a))
    mine = client_for(admin).get("/audit/?action=reveal").content.decode()
    assert "worker_a" in mine and "回访" in mine
    theirs = client_for(other_admin).get("/audit/?action=reveal").content.decode()
    assert "回访" not in theirs
    api = client_for(admin).get("/api/audit/events?action=reveal").json()
    assert [(e["actor"], e["field"], e["reason"]) for e in api] == [("worker_a", "phone", "回访")]
