"""factory_boy factories for the CRM (to be merged with the CRM's own test factories).

``followed_organisation`` is what most tests want: an organisation with the cluster's
relationship, so that the cluster sees it.
"""

from __future__ import annotations

from typing import Any

import factory

from clusterdesk.core.models import Cluster
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.models import (
    Contact,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from tests.factories import ClusterFactory, UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    city = "Lyon"
    postal_code = "69001"
    departement = "69"
    # The services keep the search index; rows made here need it too.
    search_text = factory.LazyAttribute(lambda o: normalise(f"{o.name} {o.city}"))


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class MembershipCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipCategory

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Collège {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    status = Membership.Status.ACTIVE


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    cluster = factory.SubFactory(ClusterFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    owner = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Meeting {n}")


def followed_organisation(cluster: Cluster, **fields: Any) -> Organisation:
    """An organisation the cluster has a relationship with (needs no scope: it is given)."""
    organisation = OrganisationFactory(**fields)
    RelationshipFactory(cluster=cluster, organisation=organisation)
    return organisation
