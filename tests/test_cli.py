"""The ``patron`` command line: one clear line and a non-zero exit on bad input, never a
traceback; ``patron run`` end to end as a real process."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask.cli import ScriptInfo

from patron.console import cli, main
from patron.tenancy.services import tenant_by_slug

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def patron(app):
    """``patron(*args, input=None)`` runs a command against the test app."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input,
                             obj=ScriptInfo(create_app=lambda: app))

    return invoke


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """A refused command: non-zero exit, one ``Error: …`` line, no traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0]


def token_status(client, slug: str, email: str, password: str) -> int:
    response = client.post("/api/v1/auth/token",
                           json={"tenant": slug, "email": email, "password": password})
    return response.status_code


def test_tenant_create_list_suspend_and_activate(patron, client):
    created = patron("tenant", "create", "beta", "--name", "Beta Ltd", "--admin-email",
                     "boss@beta.test", "--admin-password", "boss-password-1",
                     "--timezone", "Europe/Paris", "--currency", "EUR")
    assert created.exit_code == 0, created.output
    assert created.output == "created tenant beta with administrator boss@beta.test\n"
    assert token_status(client, "beta", "boss@beta.test", "boss-password-1") == 201

    listing = patron("tenant", "list").output.splitlines()
    assert listing[0].split() == ["slug", "name", "status", "created"]
    assert listing[1].split()[:4] == ["beta", "Beta", "Ltd", "active"]

    assert patron("tenant", "suspend", "beta").output == "tenant beta is now suspended\n"
    assert "suspended" in patron("tenant", "list").output
    assert token_status(client, "beta", "boss@beta.test", "boss-password-1") == 401
    assert patron("tenant", "suspend", "beta").output == "tenant beta is already suspended\n"
    assert patron("tenant", "activate", "beta").output == "tenant beta is now active\n"
    assert token_status(client, "beta", "boss@beta.test", "boss-password-1") == 201


def test_tenant_create_prompts_for_the_password(patron):
    result = patron("tenant", "create", "gamma", "--admin-email", "a@gamma.test",
                    input="gamma-password\ngamma-password\n")
    assert result.exit_code == 0, result.output
    assert "created tenant gamma" in result.output


@pytest.mark.parametrize(("args", "fragments"), [
    (["acme"], ["tenant 'acme' already exists"]),
    (["Not A Slug"], ["slug: Use 1-63 lower-case letters"]),
    (["delta", "--timezone", "Mars/Olympus"], ["timezone: Not a known IANA time zone."]),
    (["delta", "--currency", "euro"], ["currency:"]),
    (["delta", "--admin-password", "short"], ["password: must be at least 8 characters"]),
])
def test_tenant_create_refuses_bad_input_in_one_line(patron, tenant, args, fragments):
    options = {"--admin-email": "admin@delta.test", "--admin-password": "long-enough-1"}
    for name, value in zip(args[1::2], args[2::2], strict=True):
        options[name] = value
    flat = [item for pair in options.items() for item in pair]
    assert_one_line_error(patron("tenant", "create", args[0], *flat), *fragments)


@pytest.mark.parametrize("command", [
    ["module", "list"],
    ["module", "enable", "anything"],
    ["user", "create", "--email", "x@nope.test", "--password", "long-enough-1"],
    ["token", "create", "--email", "x@nope.test"],
])
def test_an_unknown_tenant_is_one_line(patron, command):
    assert_one_line_error(patron(*command[:2], "--tenant", "nope", *command[2:]),
                          "no tenant 'nope'")


@pytest.mark.parametrize("command", [["suspend", "nope"], ["activate", "nope"]])
def test_suspending_an_unknown_tenant_is_one_line(patron, command):
    assert_one_line_error(patron("tenant", *command), "no tenant 'nope'")


def test_user_create_prompts_for_a_confirmed_password(patron, tenant, client):
    result = patron("user", "create", "--tenant", "acme", "--email", "Rep@Acme.test",
                    "--name", "Rita Rep", "--role", "sales_rep",
                    input="rep-password-1\nrep-password-1\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "created user rep@acme.test (sales_rep) in tenant acme"
    assert token_status(client, "acme", "rep@acme.test", "rep-password-1") == 201


@pytest.mark.parametrize(("options", "fragments"), [
    (["--email", "admin@acme.test"], ["email: a user with e-mail admin@acme.test already exists"]),
    (["--email", "new@acme.test", "--role", "sales_boss"], ["role: no role 'sales_boss'"]),
    (["--email", "new@acme.test", "--password", "short"],
     ["password: must be at least 8 characters"]),
    (["--email", "not-an-address"], ["email: Enter an e-mail address, such as name@example.com."]),
])
def test_user_create_refuses_bad_input_in_one_line(patron, tenant, options, fragments):
    if "--password" not in options:
        options = [*options, "--password", "long-enough-1"]
    assert_one_line_error(patron("user", "create", "--tenant", "acme", *options), *fragments)


def test_token_create_prints_a_working_bearer_token_on_its_last_line(patron, tenant, client):
    result = patron("token", "create", "--tenant", "acme", "--email", tenant.admin_email,
                    "--name", "ci", "--expires-days", "7")
    assert result.exit_code == 0, result.output
    *notes, token = result.output.splitlines()
    assert "expires" in notes[0] and token == token.strip() and " " not in token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["user"]["email"] == tenant.admin_email
    tokens = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    [listed] = tokens.get_json()["items"]
    assert listed["name"] == "ci" and listed["expires_at"] is not None


def test_token_create_refuses_unknown_users_and_bad_expiry(patron, tenant):
    assert_one_line_error(patron("token", "create", "--tenant", "acme", "--email",
                                 "ghost@acme.test"), "no active user ghost@acme.test")
    refused = patron("token", "create", "--tenant", "acme", "--email", tenant.admin_email,
                     "--expires-days", "0")
    assert refused.exit_code == 2 and "Traceback" not in refused.output


def test_tenant_apply_reports_changes_then_none(patron, app):
    demo = str(REPO / "tenants" / "demo.toml")
    first = patron("tenant", "apply", demo)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0] == "created tenant demo"
    assert first.output.splitlines()[-1] == "tenant demo: 20 changes"
    second = patron("tenant", "apply", demo)
    assert second.exit_code == 0 and second.output == "tenant demo: no changes\n"


def test_tenant_apply_refuses_a_bad_manifest_in_one_line(patron, app, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[tenant]\nslug = "bad"\n[[users]]\nemail = "a@bad.test"\nadmin = true\n'
                    'password = "short"\n[[accounts]]\nname = "X"\nowner = "nobody@bad.test"\n')
    assert_one_line_error(patron("tenant", "apply", str(path)),
                          "users[0].password: must be at least 8 characters",
                          "accounts[0].owner: no user nobody@bad.test")
    with app.app_context():
        assert tenant_by_slug("bad") is None


class TestModules:
    """``patron module`` with the fake ``gated`` module and ``dependent``, which requires it."""

    @pytest.fixture
    def patron_extra_plugins(self, fake_plugin):
        return [fake_plugin("gated"), fake_plugin("dependent")]

    def test_list_shows_state_and_requirements(self, patron, tenant):
        lines = patron("module", "list", "--tenant", "acme").output.splitlines()
        assert lines[0].split() == ["name", "label", "enabled", "requires"]
        rows = {line.split()[0]: line.split() for line in lines[1:]}
        assert rows["dependent"] == ["dependent", "Dependent", "no", "gated"]
        assert rows["gated"] == ["gated", "Gated", "no", "-"]

    def test_enable_checks_dependencies_and_disable_checks_dependants(self, patron, tenant):
        assert_one_line_error(patron("module", "enable", "--tenant", "acme", "dependent"),
                              "Dependent needs gated enabled first")
        assert patron("module", "enable", "--tenant", "acme", "gated").exit_code == 0
        enabled = patron("module", "enable", "--tenant", "acme", "dependent")
        assert enabled.output == "module dependent is now enabled for acme\n"
        again = patron("module", "enable", "--tenant", "acme", "dependent")
        assert again.output == "module dependent was already enabled for acme\n"
        assert_one_line_error(patron("module", "disable", "--tenant", "acme", "gated"),
                              "dependent require gated; disable them first")
        listing = patron("module", "list", "--tenant", "acme").output
        assert re.search(r"^gated\s+Gated\s+yes", listing, re.MULTILINE)

    def test_unknown_module_is_one_line(self, patron, tenant):
        assert_one_line_error(patron("module", "enable", "--tenant", "acme", "nope"),
                              "no module 'nope' is installed")


def test_unexpected_errors_print_one_line_with_a_hint(app, monkeypatch, capsys, tmp_path):
    def explode(path):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(cli, "create_app", lambda: app)
    monkeypatch.setattr("patron.cli.tenant_commands.apply_manifest", explode)
    monkeypatch.delenv("PATRON_DEBUG", raising=False)
    manifest = tmp_path / "t.toml"
    manifest.write_text("")
    with pytest.raises(SystemExit) as exited:
        main(["tenant", "apply", str(manifest)])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines() == ["error: the disk caught fire",
                                "hint: run with PATRON_DEBUG=1 to see the traceback"]
    monkeypatch.setenv("PATRON_DEBUG", "1")
    with pytest.raises(RuntimeError, match="the disk caught fire"):
        main(["tenant", "apply", str(manifest)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=10) as r:
        return json.load(r)


def _wait_until_healthy(base: str, process: subprocess.Popen, output: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"patron run exited early:\n{output.read_text()}")
        try:
            if _request(f"{base}/healthz") == {"status": "ok"}:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"patron run did not answer /healthz:\n{output.read_text()}")


@pytest.mark.skipif(bool(os.environ.get("PATRON_TEST_DATABASE_URL")),
                    reason="patron run uses the embedded SQLite default")
def test_patron_run_end_to_end(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PATRON_", "FLASK_"))}
    env["PATRON_HOME"] = str(tmp_path / "home")
    output = tmp_path / "run.log"
    base = f"http://127.0.0.1:{port}"
    with output.open("w") as log, subprocess.Popen(
        [str(Path(sys.executable).with_name("patron")), "run", "--port", str(port)],
        # From a folder of its own: the demo manifest is found in the package.
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    ) as process:
        try:
            _wait_until_healthy(base, process, output)
            printed = output.read_text()
            login = dict(re.findall(r"^\s+(tenant|email|password):\s+(\S+)$", printed,
                                    re.MULTILINE))
            assert login == {"tenant": "demo", "email": "admin@demo.test",
                             "password": "demo-admin-2026"}, printed
            assert f"Patron is running at {base}/" in printed
            token = _request(f"{base}/api/v1/auth/token", login)["token"]
            me = _request(f"{base}/api/v1/me", token=token)
            assert (me["user"]["email"], me["tenant"]["slug"]) == ("admin@demo.test", "demo")
        finally:
            process.terminate()
            process.wait(timeout=20)
    assert (tmp_path / "home" / "patron.db").exists()


@pytest.mark.skipif(bool(os.environ.get("PATRON_TEST_DATABASE_URL")),
                    reason="runs on the embedded SQLite default")
def test_patron_serve_runs_gunicorn_workers_without_migrating_or_provisioning(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PATRON_", "FLASK_"))}
    env["PATRON_HOME"] = str(tmp_path / "home")
    patron = str(Path(sys.executable).with_name("patron"))
    output = tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    serve = [patron, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with output.open("w") as log, subprocess.Popen(serve, cwd=REPO, env=env, stdout=log,
                                                   stderr=subprocess.STDOUT) as process:
        try:
            _wait_until_healthy(base, process, output)
            with pytest.raises(urllib.error.HTTPError) as not_ready:
                _request(f"{base}/readyz")
            not_ready.value.close()
            assert not_ready.value.code == 503  # serve never migrates by itself
            for command in (["db", "upgrade"],
                            ["tenant", "create", "acme", "--name", "Acme", "--admin-email",
                             "admin@acme.test", "--admin-password", "serve-pass-1"]):
                subprocess.run([patron, *command], cwd=REPO, env=env, check=True,
                               capture_output=True)
            assert _request(f"{base}/readyz") == {"status": "ok"}
            token = _request(f"{base}/api/v1/auth/token", {
                "tenant": "acme", "email": "admin@acme.test", "password": "serve-pass-1"})
            me = _request(f"{base}/api/v1/me", token=token["token"])
            assert me["tenant"]["slug"] == "acme"
            tenants = subprocess.run([patron, "tenant", "list"], cwd=REPO, env=env,
                                     check=True, capture_output=True, text=True).stdout
            assert "demo" not in tenants  # serve provisions nothing
            assert len(re.findall(r"Booting worker", output.read_text())) == 2
        finally:
            process.terminate()
            process.wait(timeout=20)
