"""The demo's people: the health cluster's team with every role, directors elsewhere,
a Region funder and a superuser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django_scopes import scope

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import funder_access_grant, team_member_set_roles, user_create
from clusterdesk.core.roles import Role
from clusterdesk.demo.members.figures import MEMBER_EMAIL

if TYPE_CHECKING:
    from clusterdesk.demo.build import DemoContext

FIRST_NAMES = [
    "Camille",
    "Claire",
    "Julien",
    "Nadia",
    "Thomas",
    "Sophie",
    "Karim",
    "Élodie",
    "Mathieu",
    "Inès",
    "Laurent",
    "Chloé",
    "Antoine",
    "Manon",
    "Hugo",
    "Léa",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Girard",
    "Roux",
    "Fournier",
    "Mercier",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Rousseau",
    "Perrin",
    "Morel",
]

HEALTH_TEAM = [
    ("direction", [Role.DIRECTOR]),
    ("projets", [Role.PROJECT_MANAGER]),
    ("evenements", [Role.EVENT_MANAGER]),
    ("plateformes", [Role.FACILITY_MANAGER]),
    ("finances", [Role.FINANCE]),
    ("expert", [Role.EXPERT]),
    ("comite", [Role.COMMITTEE_MEMBER]),
]
HEALTH_DOMAIN = "lyonbiopole.test"
FUNDER_EMAIL = "region@auvergnerhonealpes.test"
ADMIN_EMAIL = "admin@clusterdesk.test"


def _name(ctx: DemoContext) -> str:
    return f"{ctx.rng.choice(FIRST_NAMES)} {ctx.rng.choice(LAST_NAMES)}"


def _person(ctx: DemoContext, email: str) -> User:
    user = user_create(email=email, password=None, full_name=_name(ctx), validate=False)
    # Hashing is slow on purpose: hash the shared demo password once, give it to everyone.
    if "password_hash" not in ctx.objects:
        ctx.objects["password_hash"] = make_password(ctx.password)
    user.password = ctx.objects["password_hash"]
    user.save(update_fields=["password"])
    return user


def build(ctx: DemoContext) -> None:
    health = ctx.objects["health"]
    with scope(cluster=health):
        for local, roles in HEALTH_TEAM:
            user = _person(ctx, f"{local}@{HEALTH_DOMAIN}")
            team_member_set_roles(actor=None, cluster=health, user=user, roles=roles)
    # The project manager also helps a neighbouring cluster: one person, two clusters.
    pm = User.objects.get(email=f"projets@{HEALTH_DOMAIN}")
    others = [c for c in ctx.objects["clusters"].values() if c != health]
    others += ctx.objects.get("national_clusters", [])
    for cluster in others:
        with scope(cluster=cluster):
            director = _person(ctx, f"direction@{cluster.slug}.test")
            team_member_set_roles(actor=None, cluster=cluster, user=director, roles=[Role.DIRECTOR])
            if cluster.slug == "axelera":
                team_member_set_roles(
                    actor=None, cluster=cluster, user=pm, roles=[Role.PROJECT_MANAGER]
                )
    funder = _person(ctx, FUNDER_EMAIL)
    funder_access_grant(actor=None, region=ctx.objects["region"], user=funder)
    admin = User.objects.create_superuser(ADMIN_EMAIL, ctx.password, full_name="Admin ClusterDesk")
    ctx.objects.update(funder=funder, admin=admin)


def describe_accounts() -> list[tuple[str, str]]:
    rows = [
        (f"{local}@{HEALTH_DOMAIN}", ", ".join(str(r.label) for r in roles))
        for local, roles in HEALTH_TEAM
    ]
    rows[1] = (rows[1][0], rows[1][1] + " (+ Axelera)")
    rows.append((FUNDER_EMAIL, "Region funder (Auvergne-Rhône-Alpes)"))
    rows.append((ADMIN_EMAIL, "Superuser (Django admin)"))
    rows.append((MEMBER_EMAIL, f"{Role.MEMBER.label} (a start-up of the health cluster)"))
    return rows
