"""Security headers on every response (the repro: no X-Frame-Options or frame-ancestors, no
nosniff, no Content-Security-Policy on pages). The browser walk of every page
(tests/browser/test_page_widths.py) fails when the policy blocks anything a page needs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [*ROOT.glob("platform/patron/templates/**/*.html"),
             *ROOT.glob("plugins/*/templates/**/*.html"),
             *ROOT.glob("examples/*/*/templates/**/*.html")]


def test_pages_may_not_be_framed_and_run_only_their_own_scripts(client):
    response = client.get("/login")
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", policy).group(1)
    assert "frame-ancestors 'none'" in policy and "unsafe-inline'" not in policy.split(
        "style-src")[0]
    assert nonce != re.search(r"'nonce-([\w-]+)'", client.get("/login").headers[
        "Content-Security-Policy"]).group(1)  # a new one each time


def test_api_answers_and_downloads_keep_a_closed_policy(auth, tenant):
    api = auth.api(tenant)
    listed = api.get("/accounts")
    assert listed.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert listed.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_only_where_cookies_are_secure(app, client, secure):
    app.config["SESSION_COOKIE_SECURE"] = secure
    assert ("Strict-Transport-Security" in client.get("/login").headers) is secure


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_script_the_policy_would_block(template):
    text = template.read_text()
    assert not re.search(r"\son[a-z]+\s*=", text), "an inline handler: use a data attribute"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag, tag
