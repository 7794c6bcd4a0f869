"""Tenant manifests: idempotent apply, matching by natural key, validation before any write."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from patron.auth.models import User
from patron.auth.services import user_by_email
from patron.console import cli
from patron.customers.models import Account
from patron.provisioning.applying import apply_manifest
from patron.provisioning.manifest import ManifestError
from patron.rbac.models import Department, Role
from patron.rbac.services import role_by_key
from patron.tenancy.services import tenant_by_slug
from patron.testing.fixtures import in_tenant

DEMO = Path(__file__).resolve().parents[1] / "tenants" / "demo.toml"

BASE = """
[tenant]
slug = "beta"
name = "Beta Ltd"
timezone = "Europe/Paris"
currency = "EUR"

[[departments]]
name = "Sales"

[[departments]]
name = "Sales North"
parent = "Sales"

[[roles]]
key = "team_lead"
name = "Team lead"
permissions = ["core.accounts.read", "core.accounts.update"]
scopes = { "core.accounts" = "own_and_reports" }
default_scope = "own"

[[roles]]
key = "sales_rep"
description = "Edited by the manifest."

[[users]]
email = "Boss@Beta.test"
name = "Bea Boss"
password = "boss-password-1"
admin = true

[[users]]
email = "rep@beta.test"
name = "Rob Rep"
role = "sales_rep"
department = "Sales North"
manager = "lead@beta.test"
password = "rep-password-1"

[[users]]
email = "lead@beta.test"
name = "Lea Lead"
role = "team_lead"
department = "Sales"
password = "lead-password-1"

[[accounts]]
name = "Initech"
domain = "initech.test"
industry = "Software"
owner = "rep@beta.test"

[[accounts]]
name = "Corner Shop"
owner = "lead@beta.test"
"""


def write(tmp_path: Path, text: str, name: str = "tenant.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def apply_and_commit(app, path: Path):
    from patron.db import db

    with app.app_context():
        try:
            report = apply_manifest(path)
            db.session.commit()
            return report
        finally:
            db.session.remove()


def counts(app, slug: str) -> dict[str, int]:
    """How many rows of each kind the tenant has."""
    from patron.db import db

    with app.app_context():
        tenant = tenant_by_slug(slug)
    if tenant is None:
        return {}
    with in_tenant(app, tenant.id):
        return {model.__name__: len(db.session.execute(select(model)).scalars().all())
                for model in (User, Department, Role, Account)}


def test_demo_manifest_applies_once_then_changes_nothing(app, client):
    first = apply_and_commit(app, DEMO)
    assert "created tenant demo" in first.changes and first.changed
    before = counts(app, "demo")
    assert before["User"] == 5 and before["Department"] == 4 and before["Account"] == 8

    second = apply_and_commit(app, DEMO)
    assert second.changes == [] and not second.changed
    assert second.summary() == "tenant demo: no changes"
    assert counts(app, "demo") == before

    response = client.post("/api/v1/auth/token", json={
        "tenant": "demo", "email": "admin@demo.test", "password": "demo-admin-2026"})
    assert response.status_code == 201


def test_demo_manifest_builds_the_tree_reporting_line_and_ownership(app):
    apply_and_commit(app, DEMO)
    with app.app_context():
        tenant = tenant_by_slug("demo")
    with in_tenant(app, tenant.id):
        from patron.db import db

        departments = {d.name: d for d in db.session.execute(select(Department)).scalars()}
        assert departments["Sales East"].parent_id == departments["Sales"].id
        manager = user_by_email("maria.manager@demo.test")
        rep = user_by_email("erik.east@demo.test")
        assert rep.manager_id == manager.id and rep.report_path.startswith(manager.report_path)
        assert rep.department_id == departments["Sales East"].id
        owners = {a.domain: a.owner_id for a in db.session.execute(select(Account)).scalars()}
        assert owners["initech.test"] == rep.id
        assert len(set(owners.values())) == 3
        assert user_by_email("admin@demo.test").name == "Dana Admin"
        assert tenant.timezone == "Europe/Berlin" and tenant.currency == "EUR"


def test_changed_manifest_updates_matched_records_and_keeps_passwords(app, client, tmp_path):
    apply_and_commit(app, write(tmp_path, BASE))
    before = counts(app, "beta")
    changed = (BASE.replace('name = "Beta Ltd"', 'name = "Beta Group"')
               .replace('name = "Rob Rep"', 'name = "Robert Rep"')
               .replace('industry = "Software"', 'industry = "Consulting"')
               .replace('password = "rep-password-1"', 'password = "something-else-1"')
               .replace('manager = "lead@beta.test"', 'manager = "boss@beta.test"')
               .replace('parent = "Sales"', 'parent = "Field"')
               .replace('[[departments]]\nname = "Sales"\n',
                        '[[departments]]\nname = "Sales"\n[[departments]]\nname = "Field"\n'))
    report = apply_and_commit(app, write(tmp_path, changed))
    assert report.changes == [
        "updated tenant beta (name)",
        "created department Field",
        "updated department Sales North (parent)",
        "updated user rep@beta.test (name)",
        "updated user rep@beta.test (manager)",
        "updated account initech.test (industry)",
    ]
    assert counts(app, "beta") == {**before, "Department": before["Department"] + 1}
    token = client.post("/api/v1/auth/token", json={
        "tenant": "beta", "email": "rep@beta.test", "password": "rep-password-1"})
    assert token.status_code == 201


def test_roles_are_created_and_default_roles_edited(app, tmp_path):
    apply_and_commit(app, write(tmp_path, BASE))
    with app.app_context():
        tenant = tenant_by_slug("beta")
    with in_tenant(app, tenant.id):
        lead = role_by_key("team_lead")
        assert lead.scopes == {"core.accounts": "own_and_reports"} and not lead.is_system
        rep = role_by_key("sales_rep")
        assert rep.description == "Edited by the manifest." and rep.is_system
        assert "core.accounts.read" in rep.permissions  # keys left out keep their values
        assert user_by_email("lead@beta.test").role_id == lead.id
        assert user_by_email("boss@beta.test").role_id == role_by_key("admin").id


def test_every_problem_is_reported_with_its_key_path_and_nothing_is_written(app, tmp_path):
    bad = BASE.replace('timezone = "Europe/Paris"', 'timezone = "Mars/Olympus"')
    bad = bad.replace('role = "team_lead"', 'role = "sales_boss"')
    bad = bad.replace('parent = "Sales"', 'parent = "Marketing"')
    bad = bad.replace('"core.accounts.update"]', '"core.rockets.launch"]')
    bad = bad.replace('password = "boss-password-1"', 'password = "short"')
    bad = bad.replace('owner = "lead@beta.test"', 'owner = "ghost@beta.test"')
    bad = "colour = 'red'\n" + bad + '\n[[accounts]]\nname = 7\ncustom = { tier = "gold" }\n'
    with app.app_context(), pytest.raises(ManifestError) as caught:
        apply_manifest(write(tmp_path, bad))
    problems = caught.value.problems
    for expected in [
        "colour: unknown key",
        "tenant.timezone: Not a known IANA time zone.",
        "departments[1].parent: no department 'Marketing' (declare it above 'Sales North')",
        "roles[0].permissions: unknown permissions: core.rockets.launch",
        "users[0].password: must be at least 8 characters",
        "users[2].role: no role 'sales_boss'",
        "accounts[1].owner: no user ghost@beta.test",
        "accounts[2].name: Not a valid string.",
        "accounts[2].custom: Unknown field.",
    ]:
        assert expected in problems, (expected, problems)
    assert len(problems) == 9
    assert str(caught.value).startswith(f"{tmp_path / 'tenant.toml'}: colour: unknown key; ")
    assert counts(app, "beta") == {}


def test_a_bad_manifest_changes_nothing_in_an_existing_tenant(app, tmp_path):
    apply_and_commit(app, write(tmp_path, BASE))
    before = counts(app, "beta")
    bad = BASE.replace('name = "Beta Ltd"', 'name = "Renamed"') + (
        '\n[[users]]\nemail = "new@beta.test"\nrole = "sales_boss"\n')
    with app.app_context(), pytest.raises(ManifestError, match=r"users\[3\]\.role: no role"):
        apply_manifest(write(tmp_path, bad))
    assert counts(app, "beta") == before
    with app.app_context():
        assert tenant_by_slug("beta").name == "Beta Ltd"


@pytest.mark.parametrize(("text", "problem"), [
    ("[tenant\nslug = 'x'", "not valid TOML"),
    ("modules = 'sales'\n[tenant]\nslug = 'x'", "modules: must be an array of module names"),
    ("[tenant]\nslug = 'x'\nmodules = []", "tenant.modules: modules is a top-level key"),
    ("[tenant]\nname = 'No slug'", "tenant.slug: This field is required."),
    ("[tenant]\nslug = 'Bad Slug'", "tenant.slug: Use 1-63 lower-case letters"),
    ("[tenant]\nslug = 'x'", "users: one user needs admin = true"),
    ("users = 3\n[tenant]\nslug = 'x'", "users: must be an array of tables"),
])
def test_malformed_manifests_are_refused(app, tmp_path, text, problem):
    with app.app_context(), pytest.raises(ManifestError) as caught:
        apply_manifest(write(tmp_path, text))
    assert problem in str(caught.value)


def test_reporting_loops_duplicates_and_a_second_admin_are_refused(app, tmp_path):
    text = """
[tenant]
slug = "loop"
[[users]]
email = "a@loop.test"
admin = true
manager = "b@loop.test"
[[users]]
email = "b@loop.test"
admin = true
manager = "a@loop.test"
[[users]]
email = "A@loop.test"
[[departments]]
name = "Ops"
[[departments]]
name = "Ops"
"""
    with app.app_context(), pytest.raises(ManifestError) as caught:
        apply_manifest(write(tmp_path, text))
    problems = caught.value.problems
    assert "users[1].admin: only one user can be the first admin (users[0] is)" in problems
    assert "users[0].manager: the reporting line goes in a loop" in problems
    assert "users[2].email: a@loop.test is declared twice" in problems
    assert "departments[1].name: 'Ops' is declared twice" in problems


def test_missing_file_is_a_manifest_error(app, tmp_path):
    with app.app_context(), pytest.raises(ManifestError, match="cannot read the file"):
        apply_manifest(tmp_path / "absent.toml")


class TestModules:
    """``modules = [...]``: installed, dependencies listed first, enabled once."""

    @pytest.fixture
    def patron_extra_plugins(self, fake_plugin):
        return [fake_plugin("gated"), fake_plugin("dependent")]

    HEAD = '[tenant]\nslug = "mods"\n[[users]]\nemail = "admin@mods.test"\nadmin = true\n'

    def test_dependencies_must_come_first(self, app, tmp_path):
        text = 'modules = ["dependent", "gated", "nope"]\n' + self.HEAD
        with app.app_context(), pytest.raises(ManifestError) as caught:
            apply_manifest(write(tmp_path, text))
        first, second = caught.value.problems
        assert first == "modules[0]: 'dependent' requires 'gated': list it before 'dependent'"
        assert second.startswith("modules[2]: no module 'nope' is installed (installed: ")

    def test_modules_are_enabled_in_order_and_only_once(self, app, tmp_path):
        path = write(tmp_path, 'modules = ["gated", "dependent"]\n' + self.HEAD)
        report = apply_and_commit(app, path)
        assert report.changes[-2:] == ["enabled module gated", "enabled module dependent"]
        assert apply_and_commit(app, path).changes == []
        # Once enabled, a requirement need not be listed again.
        assert apply_and_commit(app, write(tmp_path, 'modules = ["dependent"]\n' + self.HEAD,
                                           "again.toml")).changes == []


def test_manifest_accounts_reach_the_audit_log_and_search(app, client, tmp_path):
    def tenant_apply(text: str) -> None:
        result = CliRunner().invoke(cli, ["tenant", "apply", str(write(tmp_path, text))],
                                    obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output

    tenant_apply(BASE)
    tenant_apply(BASE.replace('industry = "Software"', 'industry = "Consulting"'))
    token = client.post("/api/v1/auth/token", json={
        "tenant": "beta", "email": "boss@beta.test", "password": "boss-password-1"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    events = client.get("/api/v1/audit-events?entity=account&limit=50",
                        headers=headers).get_json()["items"]
    assert sorted((e["action"], e["interface"]) for e in events) == [
        ("create", "cli"), ("create", "cli"), ("update", "cli")]
    update = next(e for e in events if e["action"] == "update")
    assert update["changes"] == {"industry": ["Software", "Consulting"]}
    found = client.get("/api/v1/search?q=initech", headers=headers).get_json()["items"]
    assert [item["title"] for item in found] == ["Initech"]
