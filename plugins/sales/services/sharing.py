"""Who besides its owner's scope reads a deal: the members of its sales team (issue 4, item 9).

Handed to the core by the package (``share_records``), so every read that asks for shared
records (the deal list and record, its page, its rows and history, references to it) admits
the deals a user is on the team of, through ``ix_sales_opportunity_members_user``. Changing
the deal stays with the owner's scope. Forecasts and funnels add up deals by their owners'
scope only: a team member's deals are counted in the owner's figures, not twice.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from patron.sdk import User
from patron_sales.models.deals import Opportunity, OpportunityMember


def on_the_team(user: User) -> ColumnElement[bool]:
    """The deals ``user`` is a team member of."""
    return Opportunity.id.in_(
        select(OpportunityMember.opportunity_id).where(OpportunityMember.user_id == user.id))
