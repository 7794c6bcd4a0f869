"""``/api/v1/service/articles`` (the knowledge base) and ``tickets/<id>/suggested-articles``."""

from __future__ import annotations

import uuid

from patron.api import ResourceSpec, register_crud
from patron.rbac.access import get_scoped_or_404, require
from patron_service.api import blp
from patron_service.knowledge import Article, create_article, suggested_articles, update_article
from patron_service.models import Ticket
from patron_service.permissions import KB, TICKETS
from patron_service.schemas import ArticleSchema, SuggestedArticlesSchema

ARTICLES_SPEC = ResourceSpec(
    name="articles", model=Article, schema=ArticleSchema, permission=KB, event="article",
    entity="article", filterable=("status", "category", "product_id", "published_at"),
    searchable=("title", "problem", "solution"),
    sortable=("title", "category", "published_at", "created_at", "updated_at"),
    create=create_article, update=update_article,
)
register_crud(blp, ARTICLES_SPEC)


@blp.route("/tickets/<uuid:record_id>/suggested-articles", methods=["GET"])
@blp.response(200, SuggestedArticlesSchema)
def ticket_suggested_articles(record_id: uuid.UUID):
    """Published articles that share words with the ticket's subject, best first"""
    require(f"{TICKETS}.read")
    ticket = get_scoped_or_404(Ticket, record_id, TICKETS)
    require(f"{KB}.read")
    return {"items": suggested_articles(ticket.subject, ticket.product_id)}
