"""Every page string is translated, the catalog is compiled, and the language switch works."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from patron.testing.fixtures import csrf_token_from

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "platform" / "patron" / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}


def extracted_msgids() -> set[str | tuple[str, ...]]:
    """What babel finds in the code and templates babel.cfg names (as ``pybabel extract``)."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message[2] if isinstance(message[2], str) else tuple(message[2][:2])
            for message in extract_from_dir(str(ROOT), method_map, options_map,
                                            keywords=KEYWORDS)}


def test_every_message_has_a_chinese_translation():
    with open(TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    ids = extracted_msgids()
    assert len(ids) > 200, "the extraction found almost nothing: babel.cfg is broken"
    missing = []
    for msgid in ids:
        message = catalog.get(msgid)
        strings = message.string if message and isinstance(message.string, tuple) else (
            [message.string] if message else [])
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, f"untranslated in zh_Hans/messages.po: {sorted(map(str, missing))}"


def test_compiled_catalog_matches_the_po_file():
    directory = TRANSLATIONS / "zh_Hans" / "LC_MESSAGES"
    with open(directory / "messages.po", "rb") as po, open(directory / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    assert _strings(source) == _strings(compiled), "run pybabel compile (README, Web UI)"


def _strings(catalog) -> dict:
    return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id:
            tuple(m.string) if isinstance(m.string, list | tuple) else m.string
            for m in catalog if m.id}


def test_language_switch_is_stored_on_the_user(client, auth, tenant):
    auth.login(tenant)
    page = client.get("/").get_data(as_text=True)
    token = csrf_token_from(page)
    switched = client.post("/language", data={"csrf_token": token, "locale": "zh_Hans",
                                               "next": "/records/account/"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/records/account/"
    assert auth.api(tenant).get("/me").get_json()["user"]["locale"] == "zh_Hans"
    chinese = client.get("/records/account/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in chinese and ">客户<" in chinese and "新建客户" in chinese
    assert client.post("/language", data={"csrf_token": token, "locale": "xx"}).status_code == 400
    elsewhere = client.post("/language", data={"csrf_token": token, "locale": "en",
                                                "next": "//evil.test/"})
    assert elsewhere.headers["Location"] == "/"


def test_language_can_be_chosen_before_signing_in(client):
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token_from(page)
    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    assert "组织" in client.get("/login").get_data(as_text=True)
