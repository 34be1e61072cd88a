"""Indicators in the API: definitions to read, values with their status to read and to write (the import's rules:
a municipality its own values only)."""

import json

from regietafel.access.models import Role
from regietafel.core.models import Source
from regietafel.indicators.models import Indicator, Value
from tests.api.conftest import admin, fresh_rate_limit, issue, raalte, token_client  # noqa: F401

ROW = {
    "indicator_code": "ZRG-HUISARTS",
    "area_code": "GM0177",
    "period": "2025-H1",
    "value": "81.5",
    "source": "gemeente",
}


def test_definitions_and_values_with_their_status(dataset, issue):  # noqa: F811
    client = token_client(issue())
    indicators = client.get("/api/v1/indicatoren", {"domein": "care"}).json()["results"]
    assert [i["code"] for i in indicators] == ["ZRG-HUISARTS"]
    assert indicators[0]["norm"] == "" and indicators[0]["good_threshold"] is None

    written = token_client(issue(can_write=True, name="w")).post(
        "/api/v1/indicatorwaarden/bulk", json.dumps({"rows": [ROW]}), content_type="application/json"
    )
    assert written.status_code == 200, written.content
    assert written.json()["created"] == 1
    Indicator.objects.filter(code="ZRG-HUISARTS").update(good_threshold=90, poor_threshold=75)
    value = client.get("/api/v1/indicatorwaarden", {"indicator": "ZRG-HUISARTS", "gemeente": "GM0177"}).json()
    assert value["results"][0] | {"id": 0} == {
        "id": 0, "indicator": "ZRG-HUISARTS", "area": "GM0177", "location": None, "period": "2025-H1",
        "value": 81.5, "status": "attention", "source": "gemeente", "source_id": Source.objects.get(name="gemeente").pk,
        "reference_date": None, "confidence": "M", "is_demo": False,
    }  # fmt: skip


def test_a_municipality_writes_its_own_values_only(dataset, issue, raalte):  # noqa: F811
    client = token_client(issue(role=Role.MUNICIPALITY, organisation=raalte, can_write=True))
    own = client.post("/api/v1/indicatorwaarden", json.dumps(ROW), content_type="application/json")
    assert own.status_code == 201, own.content
    other = client.post(
        "/api/v1/indicatorwaarden",
        json.dumps({**ROW, "area_code": "GM0166"}),
        content_type="application/json",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["location"] == "#/area_code"
    assert Value.objects.count() == 1
