"""The support domain's e-mails, queued when the transaction commits (``notify``): the
support staff learn that a member company asks for support, an expert that a mission is
given to them."""

from __future__ import annotations

from django.conf import settings

from clusterdesk.core.links import page_url
from clusterdesk.notifications.services import notify
from clusterdesk.support.models import Mission, SupportCase
from clusterdesk.support.selectors.cases import support_staff


def notify_support_requested(case: SupportCase) -> None:
    url = page_url("support.case", cluster=case.cluster, case=case)
    for person in support_staff(cluster=case.cluster):
        notify(
            to=person.email,
            language=person.language,
            template="support/email/requested",
            context={"case": case, "cluster": case.cluster, "person": person, "url": url},
        )


def notify_mission_given(mission: Mission) -> None:
    expert = mission.expert
    person = expert.user
    to = person.email if person is not None else expert.email
    if not to:
        return
    url = page_url("support.missions_of_expert", cluster=mission.cluster) if person else ""
    notify(
        to=to,
        language=person.language if person is not None else settings.LANGUAGE_CODE,
        template="support/email/mission",
        context={"mission": mission, "cluster": mission.cluster, "expert": expert, "url": url},
    )
