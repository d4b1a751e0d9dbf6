from django.test import Client

from linli.conftest import PASSWORD


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_staff_sign_in_with_username(world, worker_a, client):
    response = _login(client, "worker_a", PASSWORD)
    assert response.status_code == 302
    assert client.get("/registry/grids/").status_code == 200


def test_logout_ends_the_session(world, worker_a, client):
    _login(client, "worker_a", PASSWORD)
    client.post("/accounts/logout/")
    assert client.get("/registry/grids/").status_code == 302
