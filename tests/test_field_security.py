"""Field-level security: hidden and read-only fields per role, standard and custom."""

from __future__ import annotations

import pytest


@pytest.fixture
def setup(auth, tenant, make_user):
    """A custom field ``margin``; reps may not see ``phone`` or margin, nor change industry."""
    admin = auth.api(tenant)
    admin.post("/custom-fields", json={"entity": "account", "name": "margin", "label": "Margin",
                                       "type": "decimal"})
    admin.post("/custom-fields", json={"entity": "account", "name": "tier", "label": "Tier",
                                       "type": "text"})
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    response = admin.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "phone": "hidden", "custom.margin": "hidden", "industry": "read_only"}}})
    assert response.status_code == 200, response.get_json()
    rep = make_user(tenant, "sales_rep")
    record = rep.post("/accounts", json={"name": "Initech", "custom": {"tier": "gold"}})
    assert record.status_code == 201, record.get_json()
    account = record.get_json()
    admin.patch(f"/accounts/{account['id']}", json={"phone": "+1 555 0100",
                                                    "custom": {"margin": "0.25"}})
    return {"admin": admin, "rep": rep, "id": account["id"]}


def test_hidden_fields_are_absent_from_reads_and_lists(setup):
    rep, admin, record_id = setup["rep"], setup["admin"], setup["id"]
    one = rep.get(f"/accounts/{record_id}").get_json()
    assert "phone" not in one and one["custom"] == {"tier": "gold"}
    listed = rep.get("/accounts").get_json()["items"][0]
    assert "phone" not in listed and "margin" not in listed["custom"]
    full = admin.get(f"/accounts/{record_id}").get_json()
    assert full["phone"] == "+1 555 0100" and full["custom"]["margin"] == "0.25"


def test_hidden_fields_cannot_be_filtered_sorted_or_searched(setup):
    rep = setup["rep"]
    assert rep.get("/accounts?phone=%2B1 555 0100").status_code == 422
    assert rep.get("/accounts?custom.margin__gte=0.1").status_code == 422
    assert rep.get("/accounts?sort=custom.margin").status_code == 422
    assert setup["admin"].get("/accounts?custom.margin__gte=0.1").status_code == 200


def test_writing_hidden_or_read_only_fields_is_422_and_changes_nothing(setup):
    rep, record_id = setup["rep"], setup["id"]
    for body in ({"industry": "energy"}, {"phone": "1"}, {"custom": {"margin": "0.9"}}):
        response = rep.patch(f"/accounts/{record_id}", json=body)
        assert response.status_code == 422, body
    errors = rep.patch(f"/accounts/{record_id}", json={"custom": {"margin": "0.9"}}
                       ).get_json()["errors"]
    assert errors == {"custom": {"margin": ["You may not change this field."]}}
    assert rep.patch(f"/accounts/{record_id}", json={"name": "Initrode"}).status_code == 200
    full = setup["admin"].get(f"/accounts/{record_id}").get_json()
    assert (full["name"], full["industry"], full["custom"]["margin"]) == ("Initrode", None, "0.25")


def test_field_rules_are_validated(auth, tenant):
    admin = auth.api(tenant)
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    for rules, message in [({"planet": {"x": "hidden"}}, "no entity"),
                           ({"account": {"salary": "hidden"}}, "no field"),
                           ({"account": {"phone": "invisible"}}, None)]:
        response = admin.patch(f"/roles/{role['id']}", json={"field_access": rules})
        assert response.status_code == 422
        if message:
            assert message in response.get_json()["errors"]["field_access"][0]


def test_events_and_audit_keep_the_full_record(setup):
    history = setup["admin"].get(f"/audit-events?record_id={setup['id']}&sort=occurred_at")
    changes = [e["changes"] for e in history.get_json()["items"]]
    assert any("phone" in c for c in changes)


def test_the_account_360_view_hides_the_same_fields(setup):
    view = setup["rep"].get(f"/accounts/{setup['id']}/360").get_json()
    assert "phone" not in view["account"] and "margin" not in view["account"]["custom"]
    full = setup["admin"].get(f"/accounts/{setup['id']}/360").get_json()
    assert full["account"]["phone"] == "+1 555 0100"


def test_search_skips_entities_whose_searchable_fields_are_hidden(setup):
    admin, rep = setup["admin"], setup["rep"]
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    admin.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "custom.margin": "hidden"}}})  # not a searchable field
    assert [h["title"] for h in rep.get("/search?q=initech").get_json()["items"]] == ["Initech"]
    admin.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "phone": "hidden"}}})  # phone is searchable: a match would reveal it
    assert rep.get("/search?q=555").get_json()["items"] == []
    assert rep.get("/search?q=initech").get_json()["items"] == []
    assert admin.get("/search?q=555").get_json()["items"]


def test_the_audit_log_hides_hidden_fields_history(setup, auth, tenant, make_user):
    admin = setup["admin"]
    role = admin.get("/roles?key=read_only").get_json()["items"][0]
    admin.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "phone": "hidden", "custom.margin": "hidden"}}})
    reader = make_user(tenant, "read_only")
    history = reader.get(f"/audit-events?record_id={setup['id']}").get_json()["items"]
    assert history and all("phone" not in e["changes"] for e in history)
    assert all("margin" not in side for e in history for side in e["changes"].get("custom", []))
    full = admin.get(f"/audit-events?record_id={setup['id']}").get_json()["items"]
    assert any("phone" in e["changes"] for e in full)


class TestEntityWithoutResource:
    """A plugin entity without an API resource has no fields a rule could name."""

    @pytest.fixture
    def patron_extra_plugins(self, fake_plugin):
        return [fake_plugin("prospects")]

    def test_rules_for_it_are_refused(self, auth, tenant):
        admin = auth.api(tenant)
        role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
        response = admin.patch(f"/roles/{role['id']}",
                               json={"field_access": {"prospect": {"name": "hidden"}}})
        assert response.status_code == 422
        assert "no entity" in response.get_json()["errors"]["field_access"][0]
