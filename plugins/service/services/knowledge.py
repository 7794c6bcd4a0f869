"""The knowledge base: articles (a problem and its solution, for a product or a category),
drafted then published, and the published articles a ticket's subject suggests."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, or_, select

from patron.sdk import Rules, ValidationFailed, check_reference, db, merged, utcnow
from patron_service.models.knowledge import DRAFT, PUBLISHED, Article

#: Articles suggested for a ticket, best first.
SUGGESTED = 5
#: Words of a subject that say nothing about the problem.
STOP_WORDS = frozenset({"the", "and", "for", "not", "with", "our", "your", "has", "have",
                        "does", "doesn", "can", "cannot", "from", "this", "that", "when",
                        "after", "again", "still", "any", "all", "its", "was", "are", "is"})
WORD = re.compile(r"\w{3,}")


def _check(data: dict, article: Article | None) -> None:
    """Publishing stamps ``published_at`` and needs the solution; back to draft clears it."""
    if data.get("product_id") is not None:
        check_reference("product_id", "product", data["product_id"])
    values = merged(article, data)
    status = values.get("status") or DRAFT
    if status == DRAFT and values.get("published_at") is not None:
        data["published_at"] = None
    elif status == PUBLISHED and values.get("published_at") is None:
        data["published_at"] = utcnow()
    if status == PUBLISHED and not values.get("solution"):
        raise ValidationFailed({"solution": ["A published article needs its solution."]})


#: ``POST/PATCH/DELETE articles``: a new article is a draft unless published straight away.
ARTICLE_RULES = Rules(Article, check=_check)


def keywords(text: str) -> list[str]:
    """The words of ``text`` worth looking for (three letters or more, no stop words)."""
    words = (word.lower() for word in WORD.findall(text))
    return list(dict.fromkeys(w for w in words if w not in STOP_WORDS))[:8]


def suggested_articles(subject: str, product_id: uuid.UUID | None = None) -> list[Article]:
    """Published articles sharing the most words with ``subject`` (title and problem), those
    of the ticket's product first among equals."""
    words = keywords(subject)
    if not words:
        return []
    text = func.lower(Article.title + " " + func.coalesce(Article.problem, ""))
    candidates = db.session.execute(
        select(Article).where(Article.status == PUBLISHED,
                              or_(*(text.contains(word, autoescape=True) for word in words)))
        .order_by(Article.published_at.desc(), Article.id).limit(100)
    ).scalars().all()

    def rank(article: Article) -> tuple:
        haystack = f"{article.title} {article.problem or ''}".lower()
        return (-sum(word in haystack for word in words),
                article.product_id != product_id if product_id else False, article.title)

    return sorted(candidates, key=rank)[:SUGGESTED]
