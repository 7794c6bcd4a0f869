"""The OpenAPI document describes each choice with the words the pages show it with (one
label table for both), the core's and the modules' alike."""

from __future__ import annotations


def _property(spec: dict, schema: str, name: str) -> dict:
    return spec["components"]["schemas"][schema]["properties"][name]


def test_choices_carry_the_words_pages_use(auth, tenant):
    spec = auth.api(tenant).get("/openapi.json").get_json()
    status = _property(spec, "Account", "status")
    assert status["enum"] == ["prospect", "active", "inactive"]
    assert status["x-enum-descriptions"] == ["Prospect", "Active", "Inactive"]
    assert "Choices: prospect = Prospect; active = Active; inactive = Inactive." in status[
        "description"]
    size = _property(spec, "Account", "size")  # a module's table; None is no choice
    assert size["x-enum-descriptions"][size["enum"].index("1000-4999")] == "1,000–4,999"
    assert size["description"].startswith("Employee band. Choices: 1-9 = 1–9;")
    priority = _property(spec, "Ticket", "priority")
    assert dict(zip(priority["enum"], priority["x-enum-descriptions"], strict=True))[
        "urgent"] == "Urgent"


def test_the_document_stays_in_english_for_a_chinese_organisation(auth, tenant):
    api = auth.api(tenant)
    changed = api.patch("/tenant", json={"locale": "zh_Hans"})
    assert changed.status_code == 200, changed.get_json()
    spec = api.get("/openapi.json").get_json()
    assert _property(spec, "Account", "kind")["x-enum-descriptions"] == ["Company",
                                                                         "Individual"]
