"""Who the signed-in user's team is: the active users whose deals their data scope on
opportunities shows (themselves for a rep, their department tree for a manager, everyone for
an admin) — one set-based query, the same predicate as the deals' scope."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import Select, select

from patron.sdk import User, scope_criteria, scope_for
from patron_sales.permissions import OPPORTUNITIES


def team_members() -> Select:
    """``SELECT User`` of the signed-in user's team, by name."""
    return (select(User)
            .where(User.is_active.is_(True),
                   scope_criteria(User.id, current_user._get_current_object(),
                                  scope_for(OPPORTUNITIES)))
            .order_by(User.name, User.email, User.id))
