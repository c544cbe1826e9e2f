from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from clusterdesk.accounts.models import Invitation
from clusterdesk.core.models import Cluster
from clusterdesk.jobs.tasks import cluster_task


@cluster_task
def send_invitation(cluster: Cluster, invitation_id: int) -> None:
    from clusterdesk.accounts.services import invitation_token

    invitation = Invitation.objects.select_related("invited_by").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "cluster": cluster,
        "url": f"{settings.SITE_URL}/accounts/invitation/{invitation_token(invitation)}/",
    }
    language = invitation.invited_by.language if invitation.invited_by else "fr"
    with translation.override(language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
