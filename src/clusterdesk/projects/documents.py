"""The labelling workflow's printable documents: the label certificate of a labelled
project and the minutes of a committee session.

Pure rendering: each document is an HTML template (``templates/projects/pdf/``) filled
with what the caller read, then laid out on A4 by WeasyPrint. Nothing here reads the
database on its own or checks a permission; the views do both. The ``*_html`` functions
are kept separate so that tests can read the text that goes into the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.projects.models import Application, CommitteeSession, Partner


@dataclass(frozen=True)
class AgendaItem:
    """One application on a session's agenda, with the committee's decision."""

    application: Application
    coordinator: str
    decision: str  # the state's label: labelled, not labelled, revise … or still pending
    decided: bool
    # The members who declared a conflict with it and stood aside from its decision.
    stood_aside: tuple[str, ...] = ()


def certificate_html(
    *, application: Application, partners: Sequence[Partner], verification_url: str
) -> str:
    context: dict[str, Any] = {
        "application": application,
        "cluster": application.cluster,
        "session": application.committee_session,
        "partners": partners,
        "code": application.label_code,
        "verification_url": verification_url,
    }
    return render_to_string("projects/pdf/certificate.html", context)


def certificate_pdf(
    *, application: Application, partners: Sequence[Partner], verification_url: str
) -> bytes:
    """The label certificate: the project, its consortium, its label and how to check it."""
    return html_to_pdf(
        certificate_html(
            application=application, partners=partners, verification_url=verification_url
        )
    )


def agenda_items(
    agenda: Sequence[Application],
    coordinators: dict[int, str],
    stood_aside: dict[int, list[Any]] | None = None,
) -> list[AgendaItem]:
    """The agenda as the minutes print it (``coordinators``: application pk -> name;
    ``stood_aside``: application pk -> the members who declared a conflict with it)."""
    stood_aside = stood_aside or {}
    decisions = {
        Application.State.LABELLED,
        Application.State.NOT_LABELLED,
        Application.State.REVISE,
    }
    return [
        AgendaItem(
            application=app,
            coordinator=coordinators.get(app.pk, ""),
            decision=str(app.get_state_display()),
            decided=app.state in decisions,
            stood_aside=tuple(sorted(str(m) for m in stood_aside.get(app.pk, []))),
        )
        for app in agenda
    ]


def minutes_html(
    *, session: CommitteeSession, members: Sequence[Any], items: Sequence[AgendaItem]
) -> str:
    context: dict[str, Any] = {
        "session": session,
        "cluster": session.cluster,
        "members": members,
        "items": items,
        "counts": {
            "labelled": sum(1 for i in items if i.application.state == Application.State.LABELLED),
            "not_labelled": sum(
                1 for i in items if i.application.state == Application.State.NOT_LABELLED
            ),
            "revise": sum(1 for i in items if i.application.state == Application.State.REVISE),
        },
    }
    return render_to_string("projects/pdf/minutes.html", context)


def minutes_pdf(
    *, session: CommitteeSession, members: Sequence[Any], items: Sequence[AgendaItem]
) -> bytes:
    """The minutes of a committee session: who sat, what was decided and why."""
    return html_to_pdf(minutes_html(session=session, members=members, items=items))
