"""Webhook URLs that reach the internal network through an IPv6 form of an IPv4 address are
refused like the IPv4 address itself (the repro: ``http://[2002:7f00:1::]/``, the 6to4 form
of loopback, was accepted)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("host", [
    "2002:7f00:1::",              # 6to4 of 127.0.0.1
    "2002:a01:203::1",            # 6to4 of 10.1.2.3
    "::127.0.0.1",                # IPv4-compatible
    "::ffff:169.254.169.254",     # IPv4-mapped metadata address
    "64:ff9b::a9fe:a9fe",         # NAT64 of 169.254.169.254
    "64:ff9b:1::c0a8:a",          # local-use NAT64 of 192.168.0.10
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo whose client is 127.0.0.1
])
def test_ipv6_forms_of_internal_addresses_are_refused(app, auth, tenant, host):
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = ""
    api = auth.api(tenant)
    response = api.post("/webhooks", json={"url": f"http://[{host}]/hook"})
    assert response.status_code == 422, host
    assert list(response.get_json()["errors"]) == ["url"]
    assert api.get("/webhooks?count=true").get_json()["total"] == 0


@pytest.mark.parametrize("host", ["2002:808:808::1", "64:ff9b::808:808"])
def test_the_same_forms_of_public_addresses_are_accepted(app, auth, tenant, host):
    app.config["PATRON_WEBHOOK_ALLOWED_NETWORKS"] = ""
    response = auth.api(tenant).post("/webhooks", json={"url": f"http://[{host}]/hook"})
    assert response.status_code == 201, response.get_json()
