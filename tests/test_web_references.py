"""Nobody types an id: every form of every page (walked from the URL map, every module on, a
record in every collection) offers references as a choice of named records, labels them by
what they refer to, and lists show the referenced record's name."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from patron.testing.route_walk import page_urls, response_text, seed_page_records, seed_tenant


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


class Inputs(HTMLParser):
    """The visible form controls of a page: ``(tag, type, name, label text)``."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str, str, str | None]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "label":
            self._label, self._text = values.get("for"), ""
        elif tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            self.controls.append((tag, values.get("type") or "text", values.get("name") or "",
                                  values.get("id")))

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label:
            self.labels[self._label] = " ".join(self._text.split())
            self._label = None


def test_no_form_asks_for_an_id(app, auth, tenant, client):
    api = auth.api(tenant)
    records = seed_tenant(app, api, api.open("/api/v1/openapi.json").get_json(), "Walker")
    seed_page_records(app, api, records, "Walker")
    auth.login(tenant)
    asking, walked = {}, 0
    for url in page_urls(app, records, tenant.slug):
        response = client.get(url)
        body = response_text(response)  # read to the end: exports stream
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        walked += 1
        page = Inputs()
        page.feed(body)
        for tag, kind, name, control_id in page.controls:
            text = page.labels.get(control_id or "", "")
            field = name.rsplit(".", 1)[-1].rsplit("-", 1)[-1]
            typed_id = tag == "input" and kind == "text" and re.search(r"_ids?$", field)
            if re.search(r"\bid\b", text, re.IGNORECASE) or typed_id:
                asking.setdefault(f"{text or name} ({tag})", url)
    assert walked > 40
    assert not asking, f"forms asking for an id: {asking}"


def test_deal_and_ticket_forms_pick_references_by_name(app, auth, tenant, client):
    api = auth.api(tenant)
    for module in ("sales", "service"):
        api.put(f"/modules/{module}", json={"enabled": True})
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    api.post("/service/queues", json={"name": "Hardware desk"})
    api.post("/service/sla-policies", json={"name": "Gold support", "priority_targets": {}})
    deal = api.post("/sales/opportunities", json={"name": "Printers", "account_id": account[
        "id"], "amount": "1000", "currency": "EUR"}).get_json()
    auth.login(tenant)
    form = client.get("/records/opportunity/new").get_data(as_text=True)
    for label in ("Pipeline", "Stage", "Price list", "Account"):
        assert re.search(rf'<label[^>]*>{label}\b', form), label
    assert re.search(r'<select[^>]*name="pipeline_id"', form)
    listing = client.get("/records/opportunity/").get_data(as_text=True)
    row = re.search(rf'<tr[^>]*>\s*<td class="bulk-select">.*?</td>\s*'
                    rf'<td[^>]*><a href="/sales/deals/{deal["id"]}".*?</tr>', listing,
                    re.S).group(0)
    assert ">Initial contact<" in row and deal["stage_id"] not in row
    ticket_form = client.get("/records/ticket/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="queue_id"', ticket_form)
    assert ">Hardware desk<" in ticket_form
    assert re.search(r'<select[^>]*name="assignee_id"', ticket_form)


def test_an_activitys_related_record_is_picked_among_records_of_its_kind(app, auth, tenant,
                                                                         client):
    """``related_id`` names a record of the kind ``related_entity`` says: the picker offers
    that kind's records by name, and pages show the chosen one's title."""
    api = auth.api(tenant)
    api.put("/modules/sales", json={"enabled": True})
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    deal = api.post("/sales/opportunities", json={"name": "Printer fleet",
                                                  "account_id": account["id"]}).get_json()
    auth.login(tenant)
    form = client.get("/records/activity/new").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="related_entity"', form)
    assert 'data-kind-from="#f-related_entity"' in form
    offered = client.get("/records/choices?kind_field=related_entity&related_entity="
                         "opportunity&q=Printer").get_data(as_text=True)
    assert "Printer fleet" in offered and deal["id"] in offered
    assert "Printer" not in client.get("/records/choices?kind_field=related_entity"
                                       "&related_entity=contact&q=Printer").get_data(as_text=True)
    assert client.get("/records/choices?kind_field=related_entity&related_entity=nothing"
                      ).status_code == 200
    activity = api.post("/activities", json={
        "kind": "call_out", "subject": "Fleet call", "related_entity": "opportunity",
        "related_id": deal["id"]}).get_json()
    page = client.get(f"/records/activity/{activity['id']}").get_data(as_text=True)
    assert "Printer fleet" in page and deal["id"] not in re.sub(r'href="[^"]*"', "", page)
    edit = client.get(f"/records/activity/{activity['id']}/edit").get_data(as_text=True)
    assert 'value="Printer fleet"' in edit
