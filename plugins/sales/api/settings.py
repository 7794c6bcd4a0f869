"""The module's Settings pages: what each declares (the core renders them at
``/settings/sales/…``, from the same specs and settings rows as the API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from patron.sdk import SettingsSection
from patron_sales.api.commerce import PRICE_LISTS_SPEC
from patron_sales.api.deals import PIPELINES_SPEC, STAGES_SPEC
from patron_sales.api.pool import RULES_SPEC
from patron_sales.api.reports import QUOTAS_SPEC
from patron_sales.permissions import MANAGE_POOL, READ_POOL, SETTINGS
from patron_sales.services.approvals import SALES_SETTINGS
from patron_sales.services.pool import POOL_SETTINGS
from patron_sales.services.price_lists import PRICE_LIST_ITEMS

SETTINGS_SECTIONS = [
    SettingsSection("sales/pipelines", _l("Pipelines and stages"), spec=PIPELINES_SPEC,
                    columns=("name", "is_default"), children=(("sales/stages", "pipeline_id"),),
                    description=_l("A new pipeline starts with the usual stages; open it to "
                                   "rename, add, remove or reorder them.")),
    SettingsSection("sales/stages", _l("Stages"), spec=STAGES_SPEC, listed=False,
                    columns=("name", "pipeline_id", "probability", "kind",
                             "stalled_after_days")),
    SettingsSection("sales/price-lists", _l("Price lists"), spec=PRICE_LISTS_SPEC,
                    columns=("name", "currency", "active"), rows=(PRICE_LIST_ITEMS,)),
    SettingsSection("sales/quotas", _l("Sales quotas"), spec=QUOTAS_SPEC),
    SettingsSection("sales/settings", _l("Approvals"), settings=SALES_SETTINGS,
                    read=f"{SETTINGS}.read", update=f"{SETTINGS}.update",
                    description=_l("Quotes above the discount and contracts above the value "
                                   "need a manager's approval; empty: never.")),
    SettingsSection("sales/pool-rules", _l("Customer pool rules"), spec=RULES_SPEC,
                    read=READ_POOL, update=MANAGE_POOL,
                    columns=("name", "kind", "days", "account_status", "active")),
    SettingsSection("sales/pool-settings", _l("Customer pool claim limits"),
                    settings=POOL_SETTINGS, read=READ_POOL, update=MANAGE_POOL,
                    description=_l("How many accounts taken from the pool a user of each role "
                                   "may hold; empty: no limit.")),
]
