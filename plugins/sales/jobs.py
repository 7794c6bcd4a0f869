"""The module's scheduled jobs, run by ``patron worker`` for every tenant that enabled it."""

from __future__ import annotations

from patron.sdk import Job
from patron_sales.services.contracts import announce_renewals
from patron_sales.services.payments import flag_overdue_instalments
from patron_sales.services.pool import return_idle_accounts
from patron_sales.services.quotes import expire_quotes
from patron_sales.services.stalled import flag_stalled_deals
from patron_sales.services.team_reports import send_team_reports

HOUR = 3600


JOBS = [
    Job("sales.stalled_deals", every_seconds=HOUR, run=flag_stalled_deals),
    Job("sales.quote_expiry", every_seconds=HOUR, run=expire_quotes),
    Job("sales.contract_renewals", every_seconds=HOUR, run=announce_renewals),
    Job("sales.overdue_payments", every_seconds=HOUR, run=flag_overdue_instalments),
    Job("sales.team_reports", every_seconds=HOUR, run=send_team_reports),
    Job("sales.customer_pool", every_seconds=HOUR, run=return_idle_accounts),
]
