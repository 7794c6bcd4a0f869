"""Core tests use the same fixtures partners get through the ``pytest11`` entry point.

Fake plugins live in ``tests/fake_plugins/<name>.py`` as real modules; the ``fake_plugin``
fixture imports one by path (tests/ is not on sys.path with ``--import-mode=importlib``) so a
test can hand it to the ``patron_extra_plugins`` fixture for its own app only.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from patron.testing.fixtures import PASSWORD, csrf_token_from

FAKE_PLUGINS = Path(__file__).parent / "fake_plugins"


def load_fake_plugin(name: str) -> ModuleType:
    """Import ``tests/fake_plugins/<name>.py`` once per session as ``fake_plugins.<name>``."""
    module_name = f"fake_plugins.{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, FAKE_PLUGINS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


@pytest.fixture(scope="session")
def fake_plugin():
    """The loader, for overriding ``patron_extra_plugins`` in a test module::

        @pytest.fixture
        def patron_extra_plugins(fake_plugin):
            return [fake_plugin("gated")]
    """
    return load_fake_plugin


@pytest.fixture
def recorder(fake_plugin, app, tenant):
    """The recorder fake plugin's state (an outbox channel and a job), fresh for each test,
    with its module on for ``tenant``; the test module loads the plugin
    (``patron_extra_plugins`` returning ``[fake_plugin("recorder")]``)."""
    from patron.modules import enable_module
    from patron.testing.fixtures import in_tenant

    plugin = fake_plugin("recorder")
    plugin.STATE = plugin.RecorderState()
    with in_tenant(app, tenant):
        enable_module("recorder")
    return plugin.STATE


#: Debian's Chromium; Playwright's own browser download is not used (README, "Quick start").
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Playwright, shared by the session's browser tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (CI installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, tenant) -> Callable[..., None]:
    """Fills in and sends the login form as ``tenant``'s admin; with the right password it
    returns once the home page has loaded, scripts included (so the next step never races the
    sign-in, nor clicks a menu before Bootstrap has bound it)."""
    def send(password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Organisation").fill(tenant.slug)
        page.get_by_label("E-mail").fill(tenant.admin_email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if password == PASSWORD:
            page.get_by_text("Welcome, Admin").wait_for()
            page.wait_for_load_state("load")

    return send


@pytest.fixture
def sign_in_as(page, tenant) -> Callable[[str], None]:
    """Signs ``email`` of ``tenant`` in (password: the test kit's) and returns once their
    home page has loaded, in whatever language they read."""
    def send(email: str) -> None:
        page.goto("/login")
        page.locator("[name=tenant]").fill(tenant.slug)
        page.locator("[name=email]").fill(email)
        page.locator("[name=password]").fill(PASSWORD)
        page.locator("[name=password]").press("Enter")
        page.locator("#bell").wait_for()
        page.wait_for_load_state("load")

    return send


@pytest.fixture
def signed_in(page, sign_in):
    """The browser page with the tenant's admin signed in, on the home page."""
    sign_in()
    return page


@pytest.fixture
def pick() -> Callable[..., None]:
    """Chooses the record called ``text`` in the picker labelled ``label`` within ``scope`` (a
    page or a locator) as a person does: types its name and clicks it in the list."""
    def choose(scope, label: str, text: str) -> None:
        box = scope.get_by_label(label)
        box.fill("")
        # Typed key by key, as a person types: a box htmx swapped in a moment ago may not
        # listen yet when its first key arrives, and the last key asks for the list.
        box.press_sequentially(text, delay=30)
        scope.get_by_role("option", name=text, exact=True).click()

    return choose


@pytest.fixture
def drag(page) -> Callable[..., None]:
    """Drags ``card`` onto ``target`` with the mouse (press, move in steps, release), as
    SortableJS needs; ``dy`` is where on the target to let go (default: its middle)."""
    def move(card, target, dy: float | None = None) -> None:
        # The page's scripts (SortableJS and what binds it) must have run: a card shown
        # before them cannot be dragged yet, on a busy machine.
        page.wait_for_load_state("load")
        start, end = card.bounding_box(), target.bounding_box()
        x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(end["x"] + end["width"] / 2,
                        end["y"] + (end["height"] / 2 if dy is None else dy), steps=20)
        # A pause before letting go, as a person's hand makes: SortableJS moves the card on
        # an animation frame, which a busy browser may not have run yet (the drop was lost).
        page.wait_for_timeout(150)
        page.mouse.up()

    return move


@pytest.fixture
def modules_admin(auth, tenant, client, switch_module):
    """``tenant``'s admin signed in on ``client`` with the sales and service modules on:
    ``(client, CSRF token, API client)``."""
    api = auth.api(tenant)
    for module in ("sales", "service"):
        switch_module(api, module)
    auth.login(tenant)
    return client, csrf_token_from(client.get("/").get_data(as_text=True)), api
