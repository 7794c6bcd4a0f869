"""Chinese everywhere: every page of the URL map (walked as ``test_web_references.py`` walks
them, every module on, a record in every collection), rendered for a tenant whose language is
Chinese, shows no English outside what users typed in.

What a page shows is its visible text and the words of its ``placeholder``, ``title`` and
``aria-label`` attributes; user data is every string the API returns for the tenant's records
(what the walk seeded, and what the tenant was seeded with in its language). Left over, an
English word of three letters or more is UI text that missed the catalog.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from patron.plugins.services import installed_modules
from patron.testing.fixtures import make_tenant
from patron.testing.route_walk import page_urls, response_text, seed_page_records, seed_tenant
from patron.web.labels import label

#: Words that are the same in every language: names, abbreviations, standards.
UNIVERSAL = {"Patron", "API", "SLA", "CSV", "SKU", "HMAC", "SHA", "URL", "JSON", "English",
             "Webhook",
             "Bearer", "Authorization", "Signature", "NPS", "CSAT", "RFM", "ERP", "UTC",
             "HTTP", "HTTPS", "ISO", "IANA", "Outlook", "Google", "Apple", "PDF", "PNG", "JPEG"}
#: The modules Patron ships (whose words are in its catalog).
SHIPPED = {"sales", "service"}
ENGLISH = re.compile(r"[A-Za-z]{3,}")
#: What the walk names its records: a record's name is this, maybe with a word after it
#: ("华夏 deal", or the kit's "Walker deal"), a file's name this with an extension.
SEED = "华夏"
#: Text that is data whatever language the page is in: what the walk typed in, e-mail and web
#: addresses, ids, file extensions, currency codes.
DATA = re.compile(f"(?:{SEED}|Walker)" + r"\S*(?: [a-z]+)?|\b[a-z]+/[a-z.+-]+\b|\S+@\S+|https?://\S+|"
                  r"[0-9a-f]{8}-[0-9a-f-]{27}|…[0-9a-f]{12}|\.[a-z]{2,5}\b|\b[A-Z]{3}\b")


class Shown(HTMLParser):
    """What a page shows a person: text outside scripts and styles, and the words of the
    attributes a screen reader or a tooltip says."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label") and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def user_data(app, api, known: dict[str, list[dict]]) -> set[str]:
    """Every string the tenant's records hold, longest first (so a name goes before a word in
    it): what the walk seeded and what the tenant was seeded with."""
    strings: set[str] = set()

    def collect(value) -> None:
        if isinstance(value, str) and value.strip():
            strings.add(value.strip())
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "mapping" and isinstance(item, dict):
                    strings.update(item)  # an import's CSV column headers
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for items in known.values():
        collect(items)
    for path in ("/users", "/departments", "/me", "/tenant", "/custom-fields", "/tokens",
                 "/products", "/imports"):
        collect(api.get(path).get_json())
    # Roles the tenant made are its data; the seeded ones must be in its language.
    collect([role for role in api.get("/roles").get_json()["items"] if not role["is_system"]])
    # A plugin installed beside Patron brings its own words (and catalog, or not).
    with app.test_request_context():
        for name, info in installed_modules().items():
            if name not in SHIPPED:
                collect([str(info.label), str(info.description)])
                strings.update(label(permission.name.split(".")[-2])
                               for permission in info.permissions)
    return strings


def english_in(html: str, data: set[str]) -> set[str]:
    """The English left on a page once user data and universal words are taken out."""
    parser = Shown()
    parser.feed(html)
    found = set()
    ordered = sorted(data, key=len, reverse=True)
    for text in parser.texts:
        text = DATA.sub(" ", text)
        for value in ordered:
            if value in text:
                text = text.replace(value, " ")
        words = [w for w in ENGLISH.findall(text) if w not in UNIVERSAL]
        if words:
            found.add(text.strip())
    return found


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def test_a_chinese_tenant_is_seeded_in_chinese(app, auth, switch_module):
    tenant = make_tenant(app, "huaxia", locale="zh_Hans")
    api = auth.api(tenant)
    for module in SHIPPED:
        switch_module(api, module)
    pipeline = api.get("/sales/pipelines").get_json()["items"][0]
    seeded = [role["name"] for role in api.get("/roles").get_json()["items"]] + [
        pipeline["name"], *(stage["name"] for stage in pipeline["stages"]),
        *(policy["name"] for policy in api.get("/service/sla-policies").get_json()["items"])]
    assert len(seeded) > 15
    assert [name for name in seeded if ENGLISH.search(name)] == []
    assert "销售代表" in seeded and "初步接触" in seeded


def test_every_page_is_in_chinese_for_a_chinese_tenant(app, auth):
    tenant = make_tenant(app, "huaxia", locale="zh_Hans", currency="CNY",
                         timezone="Asia/Shanghai")
    api = auth.api(tenant)
    # A plugin installed beside Patron brings its own catalog (or not): its words are not
    # the core's to translate, so only the modules shipped with Patron are on.
    records = seed_tenant(app, api, api.open("/api/v1/openapi.json").get_json(), SEED,
                          modules=SHIPPED)
    seed_page_records(app, api, records, SEED)
    data = user_data(app, api, records.known())
    client = app.test_client()
    auth.login(tenant, client=client)
    english = {}
    for url in page_urls(app, records, tenant.slug):
        response = client.get(url)
        body = response_text(response)  # read to the end: exports stream
        if response.mimetype == "text/html" and (found := english_in(body, data)):
            english[url] = sorted(found)
    by_text: dict[str, list[str]] = {}
    for url, texts in english.items():
        for text in texts:
            by_text.setdefault(text, []).append(url)
    report = "\n".join(f"{text!r}: {urls[0]} (+{len(urls) - 1})"
                       for text, urls in sorted(by_text.items()))
    assert not by_text, f"English on Chinese pages ({len(by_text)}):\n{report}"
