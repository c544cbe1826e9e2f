"""The people and organisations the staff's forms choose from."""

from __future__ import annotations

from django.db.models import QuerySet

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed


def people_with_role(*, cluster: Cluster, role: str) -> QuerySet[User]:
    holders = ClusterRole.objects.filter(cluster=cluster, role=role).values("user_id")
    return User.objects.filter(pk__in=holders).order_by("full_name", "email")


def followed_organisations(*, cluster: Cluster) -> QuerySet[Organisation]:
    return organisations_followed(cluster=cluster).order_by("name")
