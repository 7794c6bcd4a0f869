"""A list says how many records its filters match (fetched after the page) and shows each
active filter as a chip that removes it."""

from __future__ import annotations

import re


def test_the_count_and_the_chips_of_a_filtered_list(auth, tenant, client, make_user):
    admin = auth.api(tenant)
    for name, status in (("Initech", "active"), ("Umbrella", "active"),
                         ("Globex", "prospect")):
        admin.post("/accounts", json={"name": name, "status": status})
    rep = make_user(tenant, "sales_rep", email="rita@acme.test")
    rep.post("/accounts", json={"name": "Rita's own", "status": "active"})
    auth.login(tenant)
    page = client.get("/records/account/?status=active&name__contains=i&sort=name")
    html = page.get_data(as_text=True)
    count_url = re.search(r'id="record-count" hx-get="([^"]+)"', html).group(1)
    counted = client.get(count_url.replace("&amp;", "&")).get_data(as_text=True)
    assert counted == "2 records"  # Initech and Rita's own (Umbrella has no i)
    chips = dict(re.findall(r'<a class="badge[^"]*" href="([^"]+)"[^>]*>([^<]+)<', html))
    assert sorted(text.strip() for text in chips.values()) == ["Name ∋: i", "Status: Active"]
    without_status = next(url for url, text in chips.items() if text.startswith("Status"))
    assert "status=" not in without_status and "name__contains=i" in without_status
    assert "sort=name" in without_status  # the order stays
    assert client.get("/records/account/count").get_data(as_text=True) == "4 records"

    auth.login(tenant, "rita@acme.test")
    assert client.get("/records/account/count").get_data(as_text=True) == "1 record"
