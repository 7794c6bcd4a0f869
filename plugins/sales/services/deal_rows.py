"""What hangs off a deal: contacts with buying roles, its team, product lines and
competitors.

Lines are priced from the deal's price list (or the products' list prices) and keep the
deal's ``amount`` equal to their sum.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select, update

from patron.sdk import Children, Parent, User, ValidationFailed, check_reference, db
from patron_sales.models.deals import (
    Competitor,
    Opportunity,
    OpportunityContact,
    OpportunityLine,
    OpportunityMember,
)
from patron_sales.permissions import OPPORTUNITIES
from patron_sales.schemas.deals import (
    CompetitorSchema,
    OpportunityContactSchema,
    OpportunityLineSchema,
    OpportunityMemberSchema,
)
from patron_sales.services.pricing import complete_line, total_of
from patron_sales.services.report_totals import tracked

DEAL = Parent("opportunities", Opportunity, OPPORTUNITIES, "opportunity_id")


def _check_contact(opportunity: Opportunity, data: dict, row: Any) -> None:
    contact_id = data.get("contact_id")
    if contact_id is not None and (row is None or contact_id != row.contact_id):
        check_reference("contact_id", "contact", contact_id)
        taken = db.session.execute(select(exists().where(
            OpportunityContact.opportunity_id == opportunity.id,
            OpportunityContact.contact_id == contact_id))).scalar()
        if taken:
            raise ValidationFailed({"contact_id": ["The contact is already on this deal."]})
    if data.get("is_primary"):
        db.session.execute(
            update(OpportunityContact)
            .where(OpportunityContact.opportunity_id == opportunity.id,
                   OpportunityContact.is_primary.is_(True))
            .values(is_primary=False, version=OpportunityContact.version + 1),
            execution_options={"synchronize_session": False},
        )


def _check_member(opportunity: Opportunity, data: dict, row: Any) -> None:
    user_id = data.get("user_id")
    if user_id is None or (row is not None and user_id == row.user_id):
        return
    if not db.session.execute(select(exists().where(User.id == user_id,
                                                    User.is_active.is_(True)))).scalar():
        raise ValidationFailed({"user_id": ["No such active user."]})
    if db.session.execute(select(exists().where(
            OpportunityMember.opportunity_id == opportunity.id,
            OpportunityMember.user_id == user_id))).scalar():
        raise ValidationFailed({"user_id": ["The user is already on this deal's team."]})


def _check_line(opportunity: Opportunity, data: dict, row: Any) -> None:
    complete_line(data, row, opportunity.price_list_id, opportunity.currency)


def _total(opportunity: Opportunity) -> None:
    """Make the deal's amount the sum of its lines (left alone when it has none, or when the
    amount was typed in: ``amount_from_lines``)."""
    if not opportunity.amount_from_lines:
        return
    total = total_of(OpportunityLine, OpportunityLine.opportunity_id, opportunity.id)
    if total is not None and total != opportunity.amount:
        with tracked(opportunity):  # the forecast and funnel totals follow the amount
            opportunity.amount = total


DETAILS = (
    Children(DEAL, "contacts", "opportunity_contact", OpportunityContact,
             OpportunityContactSchema, _check_contact),
    Children(DEAL, "team", "opportunity_member", OpportunityMember, OpportunityMemberSchema,
             _check_member),
    Children(DEAL, "lines", "opportunity_line", OpportunityLine, OpportunityLineSchema,
             _check_line, after=_total),
    Children(DEAL, "competitors", "competitor", Competitor, CompetitorSchema,
             lambda opportunity, data, row: None, order_by="name"),
)
