"""API schemas of the knowledge base: articles, and the articles of a ticket."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import BaseSchema, RecordSchema, custom_values, text
from patron_service.models.knowledge import ARTICLE_STATUSES
from patron_service.schemas.fields import one_of, required_text


class ArticleSchema(RecordSchema):
    """A knowledge-base article; publishing it needs its solution."""

    title = required_text(200)
    problem = text(20000)
    solution = text(20000)
    category = text(100)
    product_id = fields.UUID(allow_none=True)
    status = one_of(ARTICLE_STATUSES,
                    metadata={"description": "draft (default) or published"})
    published_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class ArticleListSchema(BaseSchema):
    """Articles linked to a ticket, in the order they were linked."""

    items = fields.List(fields.Nested(ArticleSchema))


class SuggestedArticlesSchema(ArticleListSchema):
    """Published articles that may answer a ticket, best first."""


class ArticleLinkSchema(BaseSchema):
    """The article to link to a ticket."""

    article_id = fields.UUID(required=True)
