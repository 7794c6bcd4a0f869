"""No page is wider than the window: every page of the URL map, at a phone's width and at two
desktop windows' (375, 1366 and 1920 px), shown to the tenant's admin with every module on
and a record in every collection.

The pages come from the URL map (``patron.testing.route_walk``), so a page added later is
walked as soon as it exists. A page fails when the document scrolls sideways: wide content
(a table, a board) must scroll inside its own box instead. The sidebar and the top bar are
checked at the same time: they are on every page. So is the Content-Security-Policy: a page
fails if the browser blocked anything of it (an inline script without the page's nonce, an
inline handler).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from patron.testing.route_walk import page_urls, seed_page_records, seed_tenant

WIDTHS = (375, 1366, 1920)
#: Pages whose URL holds a secret the walk has no real value for: walked with a made-up one,
#: they answer the page a person with a stale link sees (404), which must fit as well.
SECRET_LINKS = ("/invitation/", "/support/confirm/", "/calendar/feed/")
#: How far the document may scroll sideways (px): none.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
#: The innermost elements sticking out of the window, to name in a failure.
CULPRITS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll('*')].filter(
    e => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null && !clipped(e));
  return out.filter(e => !out.some(o => o !== e && e.contains(o))).slice(0, 3).map(
    e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
         (typeof e.className === 'string' && e.className.trim()
          ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
}"""


#: Run before any script of a page: records what the Content-Security-Policy blocked.
WATCH_CSP = """window.__blocked = [];
document.addEventListener('securitypolicyviolation', e => window.__blocked.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));"""


@pytest.fixture
def patron_config():
    """The walker's webhook points at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_window(width, app, auth, tenant, page, sign_in):
    api = auth.api(tenant)
    records = seed_tenant(app, api, api.open("/api/v1/openapi.json").get_json(), "Walker")
    seed_page_records(app, api, records, "Walker")
    urls = page_urls(app, records, tenant.slug)
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(WATCH_CSP)
    sign_in()
    wider, blocked, walked = {}, {}, 0
    for url in urls:
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (a CSV export), not a page
            raise
        expected = 404 if any(part in url for part in SECRET_LINKS) else 200
        assert response is not None and response.status == expected, \
            f"{url}: {response and response.status}"
        walked += 1
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            wider[url] = (overflow, page.evaluate(CULPRITS))
        if violations := page.evaluate("window.__blocked"):
            blocked[url] = violations
    assert walked > 40, f"the walk found only {walked} pages"
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"
    assert not wider, f"wider than {width} px (by px, what sticks out): {wider}"
