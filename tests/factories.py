"""factory_boy factories for the platform core; domain tests add their own beside them."""

from __future__ import annotations

import datetime

import factory
from django.utils.text import slugify

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Region, RegionFunderAccess, Theme
from clusterdesk.crm.geography import departement_of_postal_code
from clusterdesk.crm.models import Contact, Membership, Organisation, Relationship
from clusterdesk.crm.services.organisations import organisation_search_text
from clusterdesk.projects.models import Application, Call, Partner

PASSWORD = "Correct-Horse-42"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Région {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Pôle {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    region = factory.SubFactory(RegionFactory)
    sector = "santé"


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Domaine {n}")
    name_en = factory.Sequence(lambda n: f"Domain {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


def grant(user: User, cluster: Cluster, *roles: str) -> User:
    for role in roles:
        ClusterRole.objects.create(cluster=cluster, user=user, role=role)
    return user


def funder(region: Region) -> User:
    user = UserFactory()
    RegionFunderAccess.objects.create(region=region, user=user)
    return user


# -- CRM ---------------------------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    usual_name = ""
    kind = "pme"
    city = "Lyon"
    postal_code = "69003"
    description = ""
    description_en = ""
    departement = factory.LazyAttribute(lambda o: departement_of_postal_code(o.postal_code) or "")
    # What the services keep up to date: the folded text the search reads.
    search_text = factory.LazyAttribute(organisation_search_text)


def follow(
    cluster: Cluster, organisation: Organisation | None = None, **fields: object
) -> Organisation:
    """An organisation the cluster follows (has a relationship with)."""
    org = organisation or OrganisationFactory(**fields)
    Relationship.objects.get_or_create(cluster=cluster, organisation=org)
    return org


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    year = 2026
    status = "active"


# -- projects ----------------------------------------------------------------------------


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Appel à labellisation {n}")
    opens_on = datetime.date(2020, 1, 1)
    closes_on = None
    min_partners = 2


def application(
    cluster: Cluster,
    call: Call | None = None,
    *,
    state: str = "draft",
    partners: tuple[tuple[Organisation, str], ...] = (),
    **fields: object,
) -> Application:
    """An application with its consortium (organisation, role) pairs, followed by the cluster."""
    call = call or CallFactory(cluster=cluster)
    app = Application.objects.create(
        cluster=cluster,
        call=call,
        state=state,
        acronym=fields.pop("acronym", "PROJ"),
        title=fields.pop("title", "Un projet"),
        summary=fields.pop("summary", "Diagnostic rapide des infections"),
        **fields,
    )
    for org, role in partners:
        follow(cluster, org)
        Partner.objects.create(
            cluster=cluster,
            application=app,
            organisation=org,
            role=role,
            budget_eur=1_000_000,
            requested_aid_eur=400_000,
        )
    return app
