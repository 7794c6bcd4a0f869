"""``/api/v1/service/articles`` (the knowledge base), ``tickets/<id>/suggested-articles``
and the articles linked to a ticket (``tickets/<id>/articles``)."""

from __future__ import annotations

import uuid

from patron.sdk import PatronBlueprint, ResourceSpec, register_crud
from patron_service.models.knowledge import Article
from patron_service.permissions import KB
from patron_service.schemas.knowledge import (
    ArticleLinkSchema,
    ArticleListSchema,
    ArticleSchema,
    SuggestedArticlesSchema,
)
from patron_service.services.knowledge import ARTICLE_RULES, suggested_articles
from patron_service.services.ticket_articles import (
    link_article,
    linked_articles,
    unlink_article,
)
from patron_service.services.tickets import workable_ticket

blp = PatronBlueprint("knowledge", __name__)

ARTICLES_SPEC = ResourceSpec(
    name="articles", model=Article, schema=ArticleSchema, permission=KB, event="article",
    entity="article", filterable=("status", "category", "product_id", "published_at"),
    searchable=("title", "problem", "solution"),
    sortable=("title", "category", "published_at", "created_at", "updated_at"),
    rules=ARTICLE_RULES,
)
register_crud(blp, ARTICLES_SPEC)


@blp.route("/tickets/<uuid:record_id>/suggested-articles", methods=["GET"])
@blp.response(200, SuggestedArticlesSchema)
def ticket_suggested_articles(record_id: uuid.UUID):
    """Published articles that share words with the ticket's subject, best first"""
    ticket = workable_ticket(record_id, "read", articles=True)
    return {"items": suggested_articles(ticket.subject, ticket.product_id)}


@blp.route("/tickets/<uuid:record_id>/articles", methods=["GET"])
@blp.response(200, ArticleListSchema)
def ticket_articles(record_id: uuid.UUID):
    """The knowledge-base articles linked to the ticket, in the order they were linked"""
    return {"items": linked_articles(workable_ticket(record_id, "read", articles=True))}


@blp.route("/tickets/<uuid:record_id>/articles", methods=["POST"])
@blp.arguments(ArticleLinkSchema)
@blp.response(201, ArticleSchema)
def ticket_article_link(data: dict, record_id: uuid.UUID):
    """Link a knowledge-base article to the ticket (recorded in its history)"""
    return link_article(workable_ticket(record_id, "update", articles=True), data["article_id"])


@blp.route("/tickets/<uuid:record_id>/articles/<uuid:article_id>", methods=["DELETE"])
@blp.response(204)
def ticket_article_unlink(record_id: uuid.UUID, article_id: uuid.UUID):
    """Take a linked article off the ticket (recorded in its history)"""
    unlink_article(workable_ticket(record_id, "update", articles=True), article_id)
