"""Badges as PDF: a name, an organisation, a category and a QR code (segno) that holds the
address of the check-in page with the registration's code, so that a phone's camera opens
it for the staff at the door (or the code is typed into the check-in field)."""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from clusterdesk.core.links import page_url
from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.events.models import Registration


def badge_content(registration: Registration) -> str:
    """What the QR code holds: the check-in page's address with the registration's code."""
    return page_url("events.check_in", event=registration.event, code=registration.token)


def qr_svg(text: str) -> str:
    # Inline SVG (no script, no style attribute), laid out by WeasyPrint without a raster.
    return str(segno.make(text, error="m").svg_inline(scale=3, svgclass="qr"))


def badges_pdf(registrations: Iterable[Registration]) -> bytes:
    """One badge per registration, several to an A4 page."""
    badges = [
        {"registration": r, "qr": mark_safe(qr_svg(badge_content(r)))}  # segno's own markup
        for r in registrations
    ]
    return html_to_pdf(render_to_string("events/badges.html", {"badges": badges}))
