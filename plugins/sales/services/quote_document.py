"""A quote as its customer reads it: one HTML document (``sales/quote_document.html``) for
the printable page and, rendered by WeasyPrint, for the PDF that goes with the mail.

The document carries the tenant's letterhead (name, address, tax number and logo, set in
Settings → Organisation), the quote's number, revision, date and validity, the customer's
name, address and contact, the lines, totals and terms. A field the reader's role hides
(an account's addresses, a contact's e-mail, the quote's notes) is left out of the page and
the PDF alike. WeasyPrint is the HTML-to-PDF library of choice here: pure CSS layout, no
browser to run, well kept (used by Odoo-like suites and Frappe's print formats alike).
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import select

from patron.sdk import (
    Account,
    Contact,
    Product,
    current_tenant,
    db,
    hidden_fields,
    logo_data_url,
)
from patron_sales.models.commerce import Quote, QuoteLine
from patron_sales.services.formatting import formatting

#: Which of an account's addresses a quote shows: the billing one, else the first.
ADDRESS_ORDER = ("billing", "main", "shipping")


def address_lines(address: dict | None) -> list[str]:
    """A postal address as the lines of an envelope."""
    if not address:
        return []
    town = " ".join(part for part in (address.get("postcode"), address.get("city")) if part)
    return [line for line in (address.get("street"), town, address.get("region"),
                              address.get("country")) if line]


def _customer_address(account: Account | None) -> list[str]:
    if account is None or "addresses" in hidden_fields("account") or not account.addresses:
        return []
    ranked = sorted(account.addresses, key=lambda address: (
        ADDRESS_ORDER.index(address.get("kind")) if address.get("kind") in ADDRESS_ORDER
        else len(ADDRESS_ORDER)))
    return address_lines(ranked[0])


def document_context(quote: Quote) -> dict[str, Any]:
    """What the document shows of ``quote`` (the reader's field rules applied)."""
    lines = db.session.execute(select(QuoteLine).where(QuoteLine.quote_id == quote.id)
                               .order_by(QuoteLine.created_at, QuoteLine.id)).scalars().all()
    product_ids = {line.product_id for line in lines}
    products = dict(db.session.execute(
        select(Product.id, Product.name).where(Product.id.in_(product_ids))).all()
    ) if product_ids else {}
    account = db.session.get(Account, (quote.tenant_id, quote.account_id))
    contact = db.session.get(Contact, (quote.tenant_id, quote.contact_id)) \
        if quote.contact_id else None
    hidden_contact = hidden_fields("contact")
    tenant = current_tenant()
    return {
        **formatting(), "quote": quote, "lines": lines, "products": products,
        "account_name": account.name if account and "name" not in hidden_fields("account")
        else "",
        "customer_address": _customer_address(account),
        "contact_name": contact.full_name if contact and "last_name" not in hidden_contact
        else "",
        "contact_email": contact.email if contact and "email" not in hidden_contact else "",
        "notes": quote.notes if "notes" not in hidden_fields("quote") else None,
        "seller": {"name": tenant.name, "address": (tenant.address or "").splitlines(),
                   "tax_number": tenant.tax_number, "logo": logo_data_url()},
    }


def quote_html(quote: Quote, *, printing: bool = False) -> str:
    """The document as HTML; ``printing`` adds the page's Print button."""
    return render_template("sales/quote_document.html", printing=printing,
                           **document_context(quote))


def quote_pdf(quote: Quote) -> bytes:
    """The document as a PDF."""
    from weasyprint import HTML  # loaded on first use: it takes a second to import

    return HTML(string=quote_html(quote)).write_pdf()


def pdf_name(quote: Quote) -> str:
    """The PDF's file name: ``QT-00042-2.pdf`` for the second revision."""
    return f"{quote.number}-{quote.revision}.pdf" if quote.revision > 1 else \
        f"{quote.number}.pdf"
