"""Contract tests of Open311 GeoReport v2: every call in .json (against the JSON Schemas in
`schemas.py`) and in .xml (parsed with lxml), the spec's errors (400 / 403 / 404), tokens,
filters, and no personal data in any response."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from linli.hotline import services
from linli.hotline.models import ServiceRequest
from linli.open311.models import Open311Client
from linli.open311.tests import schemas
from linli.testing import pii

pytestmark = pytest.mark.django_db

J = "jurisdiction_id=wenchang"


@pytest.fixture
def api_key(world):
    client = Open311Client(name="市民服务平台", community=world.community)
    raw = client.set_key()
    client.save()
    return raw


@pytest.fixture
def filed(world, resident_user, actor_of):
    """A request filed by the resident with his phone and room in the text."""
    return services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="noise",
        description="张晓 13800000001 住12-2-301，楼上太吵",
        channel="portal",
        household_public_id=world.household_a1.public_id,
    )


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def get_xml(client, url, status=200, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def post(client, fmt, data, status=201):
    response = client.post(f"/open311/v2/requests.{fmt}", data)
    assert response.status_code == status, response.content
    return response


def test_discovery(client, world):
    data = get_json(client, "/open311/v2/discovery.json")
    schemas.validate(data, schemas.DISCOVERY)
    root = get_xml(client, "/open311/v2/discovery.xml")
    assert root.tag == "discovery"
    assert (
        root.findtext("endpoints/endpoint/specification") == schemas.SPEC
        if hasattr(schemas, "SPEC")
        else True
    )
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]


def test_services(client, world):
    data = get_json(client, f"/open311/v2/services.json?{J}")
    schemas.validate(data, schemas.SERVICES)
    codes = {s["service_code"] for s in data}
    assert {"safety_hazard", "water", "noise"} <= codes
    water = next(s for s in data if s["service_code"] == "water")
    assert water["metadata"] is True and water["service_name"] == "停水漏水"
    root = get_xml(client, f"/open311/v2/services.xml?{J}")
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == codes
    assert root.find("service/metadata").text in ("true", "false")


def test_service_definitions_are_built_from_the_category_questions(client, world):
    data = get_json(client, f"/open311/v2/services/water.json?{J}")
    schemas.validate(data, schemas.SERVICE_DEFINITION)
    attribute = data["attributes"][0]
    assert attribute["code"] == "extent" and attribute["datatype"] == "singlevaluelist"
    assert [v["key"] for v in attribute["values"]] == ["本户", "本单元", "整栋楼"]
    multi = get_json(client, f"/open311/v2/services/facility.json?{J}")
    assert multi["attributes"][0]["datatype"] == "multivaluelist"
    root = get_xml(client, f"/open311/v2/services/water.xml?{J}")
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/code") == "extent"
    assert len(root.findall("attributes/attribute/values/value")) == 3


def test_post_get_one_and_token_in_json(client, world, api_key):
    response = post(
        client,
        "json",
        {
            "api_key": api_key,
            "service_code": "water",
            "lat": "32.394",
            "long": "119.421",
            "description": "路边消防栓漏水",
            "attribute[extent]": "整栋楼",
            "first_name": "李",
            "last_name": "四",
            "phone": "13600000001",
        },
    )
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    schemas.validate(data, schemas.POST_RESPONSE)
    rid, token = data[0]["service_request_id"], data[0]["token"]
    req = ServiceRequest.objects.get(pk=int(rid))
    assert req.channel == "open311" and req.answers == {"extent": "整栋楼"}
    assert req.reporter_phone_masked == "136****0001"
    one = get_json(client, f"/open311/v2/requests/{rid}.json?{J}")
    schemas.validate(one, schemas.REQUESTS)
    assert one[0]["status"] == "open" and one[0]["lat"] == "32.394"
    assert "13600000001" not in str(one) and "李" not in str(one)
    tok = get_json(client, f"/open311/v2/tokens/{token}.json")
    schemas.validate(tok, schemas.TOKEN)
    assert tok[0]["service_request_id"] == rid


def test_post_get_one_and_token_in_xml(client, world, api_key):
    response = post(
        client,
        "xml",
        {"api_key": api_key, "service_code": "noise", "address_string": "文昌花园12栋"},
    )
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "service_requests"
    rid = root.findtext("request/service_request_id")
    token = root.findtext("request/token")
    assert rid.isdigit() and token
    one = get_xml(client, f"/open311/v2/requests/{rid}.xml?{J}")
    request = one.find("request")
    assert request.findtext("service_code") == "noise"
    assert request.findtext("status") == "open"
    dt.datetime.fromisoformat(request.findtext("requested_datetime"))
    assert "+08:00" in request.findtext("requested_datetime")
    tok = get_xml(client, f"/open311/v2/tokens/{token}.xml")
    assert tok.findtext("request/service_request_id") == rid


def test_get_requests_with_the_spec_filters_in_both_formats(
    client, world, api_key, filed, worker_a, actor_of
):
    other = post(
        client,
        "json",
        {
            "api_key": api_key,
            "service_code": "water",
            "address_string": "x",
            "attribute[extent]": "本户",
        },
    ).json()[0]["service_request_id"]
    worker = actor_of(worker_a)
    services.request_accept(actor=worker, public_id=filed.public_id)
    services.request_resolve(actor=worker, public_id=filed.public_id, note="ok")
    every = get_json(client, f"/open311/v2/requests.json?{J}")
    schemas.validate(every, schemas.REQUESTS)
    assert {r["service_request_id"] for r in every} == {str(filed.pk), other}
    closed = get_json(client, f"/open311/v2/requests.json?{J}&status=closed")
    assert [r["service_request_id"] for r in closed] == [str(filed.pk)]
    by_code = get_json(client, f"/open311/v2/requests.json?{J}&service_code=water")
    assert [r["service_request_id"] for r in by_code] == [other]
    by_id = get_json(client, f"/open311/v2/requests.json?{J}&service_request_id={filed.pk},{other}")
    assert len(by_id) == 2
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert get_json(client, f"/open311/v2/requests.json?{J}&start_date={future}") == []
    past = "2020-01-01T00:00:00+08:00"
    assert (
        len(get_json(client, f"/open311/v2/requests.json?{J}&start_date={past}&end_date={future}"))
        == 2
    )
    root = get_xml(client, f"/open311/v2/requests.xml?{J}&status=open")
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [other]


def test_no_personal_data_leaves_through_open311(client, world, filed, api_key):
    for fmt in ("json", "xml"):
        body = client.get(f"/open311/v2/requests.{fmt}?{J}").content.decode()
        pii.assert_no_plain_pii(body, world, allowed=set(), may_reveal=True)
        assert "12-2-301" not in body and "13800000001" not in body
        assert "301" not in body
        body = client.get(f"/open311/v2/requests/{filed.pk}.{fmt}?{J}").content.decode()
        assert "13800000001" not in body and "12-2-301" not in body


def error(client, url, status, fmt="json", method="get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == status, response.content
    if fmt == "json":
        body = response.json()
        schemas.validate(body, schemas.ERRORS)
        assert body[0]["code"] == status
        return body[0]["description"]
    root = etree.fromstring(response.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == str(status)
    return root.findtext("error/description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_spec_errors(client, world, api_key, fmt, english):
    url = f"/open311/v2/requests.{fmt}"
    base = {"api_key": api_key, "service_code": "noise", "lat": "32.39", "long": "119.42"}

    def post_error(status, **changes):
        data = {**base, **changes}
        data = {k: v for k, v in data.items() if v is not None}
        return error(client, url, status, fmt, method="post", data=data)

    assert "service_code" in post_error(400, service_code=None)
    assert "service_code" in post_error(400, service_code="unicorns")
    assert "api_key" in post_error(403, api_key="wrong")
    assert "api_key" in post_error(403, api_key=None)
    post_error(400, lat="91", long="119")
    post_error(400, lat="abc", long="119")
    post_error(400, lat="32.1", long=None)
    assert "location" in post_error(400, lat=None, long=None)
    assert "4000" in post_error(400, description="x" * 4001)
    post_error(400, service_code="water", **{"attribute[extent]": "整个宇宙"})
    post_error(400, phone="12")
    error(client, f"/open311/v2/requests/999999.{fmt}?{J}", 404, fmt)
    error(client, f"/open311/v2/requests/abc.{fmt}?{J}", 404, fmt)
    error(client, f"/open311/v2/services/unicorns.{fmt}?{J}", 404, fmt)
    error(client, f"/open311/v2/tokens/{'0' * 8}-0000-0000-0000-{'0' * 12}.{fmt}", 404, fmt)
    error(client, f"/open311/v2/tokens/nope.{fmt}", 404, fmt)
    error(client, f"/open311/v2/requests.{fmt}?{J}&start_date=yesterday", 400, fmt)
    error(client, f"/open311/v2/requests.{fmt}?{J}&status=pending", 400, fmt)
    error(client, f"/open311/v2/requests.{fmt}?{J}&service_request_id=1;drop", 400, fmt)
    error(client, f"/open311/v2/services.{fmt}", 400, fmt)  # two communities: say which
    error(client, f"/open311/v2/services.{fmt}?jurisdiction_id=atlantis", 404, fmt)
    assert ServiceRequest.objects.count() == 0


def test_an_inactive_client_is_refused(client, world, api_key):
    Open311Client.objects.update(active=False)
    error(
        client,
        "/open311/v2/requests.json",
        403,
        method="post",
        data={"api_key": api_key, "service_code": "noise", "lat": "1", "long": "1"},
    )


def test_a_key_of_another_community_cannot_file_there(client, world, api_key):
    error(
        client,
        "/open311/v2/requests.json",
        400,
        method="post",
        data={
            "api_key": api_key,
            "jurisdiction_id": "wenhui",
            "service_code": "noise",
            "lat": "1",
            "long": "1",
        },
    )


def test_unknown_formats_are_not_found(client, world):
    assert client.get("/open311/v2/services.csv").status_code == 404


def test_the_admin_shows_a_new_key_once_and_stores_only_its_hash(world, client_for, admin, english):
    from linli.accounts.models import User

    root = User.objects.create_superuser("root", password="x")
    client = client_for(root)
    response = client.post(
        "/admin/open311/open311client/add/",
        {"name": "App", "community": world.community.id, "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "copy it now" in text
    saved = Open311Client.objects.get(name="App")
    assert len(saved.key_hash) == 64 and saved.key_prefix in text


def test_a_list_without_a_key_shows_category_status_dates_and_a_coarse_location_only(
    client, world, filed
):
    """Issue 8 item 6: the resident's words are not published without his choice."""
    for url in (f"/open311/v2/requests.json?{J}", f"/open311/v2/requests/{filed.pk}.json?{J}"):
        row = get_json(client, url)[0]
        assert row["service_code"] == "noise" and row["status"] == "open"
        assert row["requested_datetime"]
        assert row["description"] == ""
        assert "楼上太吵" not in str(row) and "张晓" not in str(row)
    for fmt in ("xml",):
        body = client.get(f"/open311/v2/requests.{fmt}?{J}").content.decode()
        assert "楼上太吵" not in body


def test_a_description_the_resident_published_is_listed_anonymised(
    client, world, resident_user, actor_of
):
    req = services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="noise",
        description="张晓 13800000001 住12-2-301，楼上太吵",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        description_public=True,
    )
    row = get_json(client, f"/open311/v2/requests/{req.pk}.json?{J}")[0]
    assert "楼上太吵" in row["description"]
    assert "张晓" not in row["description"] and "13800000001" not in row["description"]
    assert "12-2-301" not in row["description"]


def test_a_client_chooses_publication_per_request_and_sees_its_own_words(client, world, api_key):
    base = {"api_key": api_key, "service_code": "noise", "address_string": "文昌花园12栋"}
    private = post(client, "json", {**base, "description": "我家楼上装修"}).json()[0]
    public = post(
        client, "json", {**base, "description": "广场舞声音太大", "description_public": "true"}
    ).json()[0]
    rows = {r["service_request_id"]: r for r in get_json(client, f"/open311/v2/requests.json?{J}")}
    assert rows[private["service_request_id"]]["description"] == ""
    assert "广场舞" in rows[public["service_request_id"]]["description"]
    keyed = get_json(client, f"/open311/v2/requests.json?{J}&api_key={api_key}")
    own = {r["service_request_id"]: r for r in keyed}
    assert "我家楼上装修" in own[private["service_request_id"]]["description"]
    assert ServiceRequest.objects.get(pk=int(public["service_request_id"])).description_public
