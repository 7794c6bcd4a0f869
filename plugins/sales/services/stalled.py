"""The stalled-deal job: flags open deals that stayed in their stage longer than the stage
allows (``stalled_after_days``) and announces each once with ``opportunity.stalled``, naming
the owner and the owner's manager so notification channels (webhooks, e-mail) can tell them.

The flag is cleared when the deal moves (:func:`patron_sales.services.opportunities.move`).
"""

from __future__ import annotations

from sqlalchemy import literal, select

from patron.sdk import User, UTCDateTimeColumn, db, emit, utcnow
from patron_sales.models.deals import OPEN, Opportunity, Stage
from patron_sales.services.sql_dates import days_between


def flag_stalled_deals() -> int:
    """Flag the current tenant's newly stalled deals; returns how many were flagged."""
    now = utcnow()
    stalled = db.session.execute(
        select(Opportunity, Stage.name, Stage.stalled_after_days, User.manager_id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .outerjoin(User, User.id == Opportunity.owner_id)
        .where(Opportunity.status == OPEN, Opportunity.stalled_at.is_(None),
               Stage.stalled_after_days.is_not(None),
               days_between(Opportunity.stage_entered_at, literal(now, UTCDateTimeColumn))
               > Stage.stalled_after_days)
    ).all()
    for opportunity, stage_name, limit, manager_id in stalled:
        opportunity.stalled_at = now
        emit("opportunity.stalled", {
            "id": str(opportunity.id), "name": opportunity.name,
            "stage_id": str(opportunity.stage_id), "stage": stage_name,
            "stalled_after_days": limit,
            "stage_entered_at": opportunity.stage_entered_at.isoformat(),
            "owner_id": str(opportunity.owner_id) if opportunity.owner_id else None,
            "manager_id": str(manager_id) if manager_id else None,
        })
    db.session.flush()
    return len(stalled)

