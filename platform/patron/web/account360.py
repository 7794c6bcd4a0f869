"""The account 360° page: the account's key fields, its contacts, timeline and files, and
the panels of the tenant's enabled modules.

The sections come from :func:`patron.customers.overview.account_overview`, the function the
API's ``GET /accounts/<id>/360`` answers with, so the page and the API show the same records
and the same permitted panels.
"""

from __future__ import annotations

from typing import Any

from patron.customers.models import Account
from patron.customers.overview import account_overview
from patron.rbac.access import require_user
from patron.web.attachments import files_section
from patron.web.display import reference_names
from patron.web.list_query import list_url
from patron.web.timeline import log_fields, timeline_section, visible_fields

#: The account's fields the page leads with (those the user may see).
KEY_FIELDS = ("name", "kind", "status", "industry", "size", "domain", "phone", "website",
              "owner_id")
#: The columns of the contacts section.
CONTACT_COLUMNS = ("full_name", "title", "email")


def overview_context(account: Account) -> dict[str, Any]:
    """What the 360° page of ``account`` shows (a section is ``None`` without permission)."""
    view = account_overview(account, require_user())
    key_fields = visible_fields("account", KEY_FIELDS)
    contacts = view["contacts"]
    return {
        "key_fields": key_fields,
        "names": reference_names(key_fields, [account]),
        "contacts": contacts,
        "contact_columns": visible_fields("contact", CONTACT_COLUMNS),
        "contacts_url": list_url("contact", {"account_id": str(account.id)}),
        "timeline": timeline_section("account", account.id, view["activities"],
                                     with_form=False),
        "can_log": bool(log_fields()),
        "files": files_section(view["attachments"], with_form=False),
        "panels": view["panels"],
    }
