"""HTML to PDF (label certificates, minutes, activity reports), through WeasyPrint.

WeasyPrint takes over half a second to import (fonts, Pango, fontTools): it is imported
when a PDF is made, so that commands, the worker and pages that make none do not pay it.
"""

from __future__ import annotations


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    """The HTML document laid out on paper; it must load nothing external (inline SVG and
    the system's fonts), so that a PDF never depends on the network. ``variant`` asks for
    an archival PDF ("pdf/a-3b": invoices that carry their Factur-X data)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=variant)
