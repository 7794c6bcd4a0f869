"""A module installed after a tenant was created: its default roles were seeded without the
module's grants, and get them when the module is enabled for the first time (never again, so
a grant the tenant admin takes away stays away)."""

from __future__ import annotations


def _role(api, key: str) -> dict:
    return api.get(f"/roles?key={key}").get_json()["items"][0]


def test_first_enable_grants_the_default_roles_what_they_lack(auth, tenant, switch_module):
    admin = auth.api(tenant)
    rep, reader = _role(admin, "sales_rep"), _role(admin, "read_only")
    # As if seeded before the sales module was installed: none of its grants.
    for role in (rep, reader):
        kept = [p for p in role["permissions"] if not p.startswith("sales.")]
        scopes = {r: s for r, s in role["scopes"].items() if not r.startswith("sales.")}
        assert kept != role["permissions"]
        changed = admin.patch(f"/roles/{role['id']}", json={"permissions": kept,
                                                            "scopes": scopes})
        assert changed.status_code == 200, changed.get_json()

    switch_module(admin, "sales")
    rep_now, reader_now = _role(admin, "sales_rep"), _role(admin, "read_only")
    assert sorted(rep_now["permissions"]) == sorted(rep["permissions"])
    assert rep_now["scopes"] == rep["scopes"]
    assert "sales.opportunities.read" in reader_now["permissions"]

    # The admin takes a grant away; switching the module off and on again keeps it away.
    assert "sales.quotes.create" in rep_now["permissions"]
    narrowed = [p for p in rep_now["permissions"] if p != "sales.quotes.create"]
    admin.patch(f"/roles/{rep_now['id']}", json={"permissions": narrowed})
    switch_module(admin, "sales", False)
    switch_module(admin, "sales")
    assert "sales.quotes.create" not in _role(admin, "sales_rep")["permissions"]
