"""Knowledge-base articles linked to a ticket: the ones that answer or explain it.

Linking and unlinking are recorded in the ticket's history (``field`` = ``article``, the
article's id as the new or old value). Only an article the user may read can be linked.
"""

from __future__ import annotations

import uuid

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from patron.sdk import (
    ValidationFailed,
    acting_user_id,
    check_reference,
    db,
    utcnow,
)
from patron_service.models.knowledge import Article, TicketArticle
from patron_service.models.tickets import MANUAL, Ticket
from patron_service.services.tickets import record_change


def linked_articles(ticket: Ticket) -> list[Article]:
    """The articles linked to ``ticket``, in the order they were linked."""
    return list(db.session.execute(
        select(Article).join(TicketArticle, TicketArticle.article_id == Article.id)
        .where(TicketArticle.ticket_id == ticket.id)
        .order_by(TicketArticle.linked_at, TicketArticle.id)
    ).scalars())


def _link_of(ticket: Ticket, article_id: uuid.UUID) -> TicketArticle | None:
    return db.session.execute(select(TicketArticle).where(
        TicketArticle.ticket_id == ticket.id, TicketArticle.article_id == article_id)
    ).scalar_one_or_none()


def link_article(ticket: Ticket, article_id: uuid.UUID) -> Article:
    """Link the article to ``ticket``; 422 if there is no such article or it is linked."""
    article = check_reference("article_id", "article", article_id)
    if _link_of(ticket, article.id) is not None:
        raise ValidationFailed({"article_id": [_("This article is linked to the ticket already.")]})
    now = utcnow()
    db.session.add(TicketArticle(ticket_id=ticket.id, article_id=article.id,
                                 linked_by=acting_user_id(), linked_at=now))
    record_change(ticket, "article", None, article.id, MANUAL, now)
    db.session.flush()
    return article


def unlink_article(ticket: Ticket, article_id: uuid.UUID) -> None:
    """Take the article off ``ticket``; 404 if it is not linked to it."""
    link = _link_of(ticket, article_id)
    if link is None:
        abort(404)
    db.session.delete(link)
    record_change(ticket, "article", article_id, None, MANUAL, utcnow())
    db.session.flush()
