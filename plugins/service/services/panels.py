"""The account 360° panel: the account's open tickets the viewer may see."""

from __future__ import annotations

from sqlalchemy import func

from patron.sdk import Account, Panel, db, scoped_select
from patron_service.models.tickets import OPEN_STATUSES, Ticket
from patron_service.permissions import TICKETS

#: Tickets listed in the panel; the rest are one filter away (``/tickets?account_id=``).
SHOWN = 5


def open_tickets_panel(account: Account) -> Panel:
    """How many tickets are open, and the ones due soonest, in the viewer's scope."""
    tickets = scoped_select(Ticket, TICKETS).where(
        Ticket.account_id == account.id, Ticket.status.in_(OPEN_STATUSES))
    count = db.session.execute(
        tickets.with_only_columns(func.count(Ticket.id), maintain_column_froms=True)
    ).scalar_one()
    soonest = db.session.execute(
        tickets.order_by(Ticket.resolution_due_at.is_(None), Ticket.resolution_due_at,
                         Ticket.id).limit(SHOWN)
    ).scalars()
    return Panel("service.open_tickets", "Open tickets", f"{TICKETS}.read", {
        "count": count,
        "items": [{"id": str(t.id), "subject": t.subject, "status": t.status,
                   "priority": t.priority, "is_complaint": t.is_complaint,
                   "resolution_due_at": t.resolution_due_at.isoformat()
                   if t.resolution_due_at else None} for t in soonest],
    })
