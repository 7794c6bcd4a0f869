"""The module's pages, under ``/sales/``: the pipeline board, a deal's page, the quote editor
(``sales_pages``), the lead conversion dialog (``sales_conversion``), the forecast
(``sales_forecast``), a rep's day and the team dashboard (``sales_day``), and the customer
pool (``sales_pages``).

Each page module adds its views to the blueprint it is given (``register(bp)``); the
blueprints are built here, each with the module's templates and the formatting they use.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from flask import Blueprint

from patron_sales.pages import board, conversion, day, deal, forecast, pool, quote
from patron_sales.services.formatting import formatting
from patron_sales.services.reports import amounts_visible

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def visibility() -> dict:
    """``show_amounts``: whether the user's role lets them see deal amounts (every page that
    shows an amount or a sum of them asks; see ``amounts_visible``)."""
    return {"show_amounts": amounts_visible()}


def _blueprint(name: str, *pages: ModuleType) -> Blueprint:
    """A blueprint under ``/sales`` holding the views of ``pages``."""
    bp = Blueprint(name, __name__, url_prefix="/sales", template_folder=str(TEMPLATES))
    bp.context_processor(formatting)
    bp.context_processor(visibility)
    for page in pages:
        page.register(bp)
    return bp


BLUEPRINTS = [
    _blueprint("sales_pages", board, deal, quote, pool),
    _blueprint("sales_conversion", conversion),
    _blueprint("sales_forecast", forecast),
    _blueprint("sales_day", day),
]
