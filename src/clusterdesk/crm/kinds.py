"""The kinds of organisation a cluster works with, and the names people give them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What an organisation is, as the cluster reports it (English msgid, French in comment)."""

    TPE = "tpe", _("Micro-enterprise (TPE)")  # très petite entreprise
    PME = "pme", _("SME (PME)")  # petite et moyenne entreprise
    STARTUP = "startup", _("Start-up")  # jeune pousse
    ETI = "eti", _("Mid-size company (ETI)")  # entreprise de taille intermédiaire
    LARGE_COMPANY = "large_company", _("Large company (grand groupe)")  # grand groupe
    RESEARCH_ORG = "research_org", _("Research organisation")  # organisme de recherche
    # établissement d'enseignement supérieur et de recherche
    HIGHER_EDUCATION = "higher_education", _("Higher education and research institution")
    HOSPITAL = "hospital", _("Hospital / university hospital (CHU)")  # hôpital, CHU
    # collectivité territoriale
    LOCAL_AUTHORITY = "local_authority", _("Local authority (collectivité territoriale)")
    # agence de développement économique
    ECONOMIC_DEVELOPMENT = "economic_development", _("Economic development agency")
    BANK_INVESTOR = "bank_investor", _("Bank / investor")  # banque, investisseur
    CLUSTER = "cluster", _("Cluster / pôle / French Tech")  # pôle, cluster, French Tech
    TECH_PLATFORM = "tech_platform", _("Technology platform")  # plateforme technologique
    ASSOCIATION = "association", _("Association")  # association
    OTHER = "other", _("Other")  # autre


# The kinds the EU SME definition covers (Commission Recommendation 2003/361/EC).
SME_KINDS: frozenset[OrganisationKind] = frozenset(
    {OrganisationKind.TPE, OrganisationKind.PME, OrganisationKind.STARTUP}
)

# CORDIS organisation activity types, from the reference table the EU Open Data Portal
# publishes with the CORDIS projects (cordisref-organizationActivityType.csv). A private
# company of unknown size (PRC) is counted as an SME, as most H2020 private participants
# are; a public body (PUB) may be a ministry, an agency or a local authority, so it is
# "other" until someone looks.
CORDIS_ACTIVITY_KINDS: dict[str, OrganisationKind] = {
    "PRC": OrganisationKind.PME,
    "REC": OrganisationKind.RESEARCH_ORG,
    "HES": OrganisationKind.HIGHER_EDUCATION,
    "PUB": OrganisationKind.OTHER,
    "OTH": OrganisationKind.OTHER,
}

# The French and English names people write in spreadsheets, per kind. Matching folds
# case, accents, punctuation and spaces (values.match_kind), so "Start-up", "start up"
# and "STARTUP" need one entry. Each folded alias names exactly one kind (tested).
_ALIASES: dict[OrganisationKind, list[str]] = {
    OrganisationKind.TPE: [
        "TPE",
        "très petite entreprise",
        "micro-entreprise",
        "microentreprise",
        "micro entreprise",
        "micro-enterprise",
        "microenterprise",
    ],
    OrganisationKind.PME: [
        "PME",
        "petite et moyenne entreprise",
        "petites et moyennes entreprises",
        "petite entreprise",
        "moyenne entreprise",
        "SME",
        "small and medium-sized enterprise",
        "small business",
    ],
    OrganisationKind.STARTUP: [
        "start-up",
        "jeune pousse",
        "jeune entreprise innovante",
        "JEI",
        "scale-up",
    ],
    OrganisationKind.ETI: [
        "ETI",
        "entreprise de taille intermédiaire",
        "mid-size company",
        "mid-cap",
        "midcap",
    ],
    OrganisationKind.LARGE_COMPANY: [
        "grand groupe",
        "grande entreprise",
        "grand compte",
        "large company",
        "large enterprise",
        "multinationale",
        "multinational",
    ],
    OrganisationKind.RESEARCH_ORG: [
        "organisme de recherche",
        "laboratoire",
        "laboratoire de recherche",
        "labo",
        "research organisation",
        "research organization",
        "research institute",
        "institut de recherche",
        "EPST",
        "unité mixte de recherche",
        "UMR",
    ],
    OrganisationKind.HIGHER_EDUCATION: [
        "université",
        "école",
        "école d'ingénieurs",
        "grande école",
        "établissement d'enseignement supérieur et de recherche",
        "enseignement supérieur",
        "EPSCP",
        "university",
        "higher education",
        "higher education institution",
    ],
    OrganisationKind.HOSPITAL: [
        "hôpital",
        "CHU",
        "CHRU",
        "centre hospitalier",
        "centre hospitalier universitaire",
        "clinique",
        "hospital",
        "university hospital",
    ],
    OrganisationKind.LOCAL_AUTHORITY: [
        "collectivité territoriale",
        "collectivité",
        "collectivité locale",
        "région",
        "conseil régional",
        "département",
        "conseil départemental",
        "métropole",
        "commune",
        "mairie",
        "intercommunalité",
        "EPCI",
        "local authority",
    ],
    OrganisationKind.ECONOMIC_DEVELOPMENT: [
        "agence de développement économique",
        "agence de développement",
        "agence régionale de développement",
        "agence d'attractivité",
        "CCI",
        "chambre de commerce et d'industrie",
        "economic development agency",
    ],
    OrganisationKind.BANK_INVESTOR: [
        "banque",
        "investisseur",
        "fonds",
        "fonds d'investissement",
        "capital-risque",
        "business angel",
        "bank",
        "investor",
        "venture capital",
    ],
    OrganisationKind.CLUSTER: [
        "pôle",
        "pôle de compétitivité",
        "cluster",
        "French Tech",
        "grappe d'entreprises",
    ],
    OrganisationKind.TECH_PLATFORM: [
        "plateforme technologique",
        "plateforme",
        "centre technique",
        "centre technique industriel",
        "CTI",
        "technology platform",
        "technical centre",
    ],
    OrganisationKind.ASSOCIATION: [
        "association",
        "association loi 1901",
        "fédération",
        "syndicat professionnel",
        "non-profit",
        "ONG",
        "NGO",
    ],
    OrganisationKind.OTHER: ["autre", "autres", "other", "divers"],
}

KIND_ALIASES: dict[str, list[str]] = {
    kind.value: [*names, *(code for code, k in CORDIS_ACTIVITY_KINDS.items() if k == kind)]
    for kind, names in _ALIASES.items()
}

# Words that say a kind when they appear anywhere in a directory's own wording
# ("Organisme de développement économique", "Pôle de compétitivité, clusters & French
# Tech", "Laboratoire public de recherche"). A kind read from them is a guess: the import's
# dry run shows it for the staff to confirm. The longest keyword found wins.
KIND_KEYWORDS: dict[OrganisationKind, tuple[str, ...]] = {
    OrganisationKind.TPE: ("TPE", "micro entreprise", "microentreprise", "very small"),
    OrganisationKind.PME: ("PME", "PMI", "SME", "small and medium"),
    OrganisationKind.STARTUP: ("start up", "startup", "jeune pousse", "scale up"),
    OrganisationKind.ETI: ("ETI", "taille intermédiaire", "mid size", "midcap"),
    OrganisationKind.LARGE_COMPANY: (
        "grand groupe",
        "grande entreprise",
        "grands groupes",
        "grandes entreprises",
        "grand compte",
        "large company",
        "large companies",
        "multinational",
    ),
    OrganisationKind.RESEARCH_ORG: (
        "recherche",
        "laboratoire",
        "laboratoires",
        "research",
        "CNRS",
        "INSERM",
        "INRAE",
        "CEA",
        "institut",
    ),
    OrganisationKind.HIGHER_EDUCATION: (
        "université",
        "universités",
        "école",
        "écoles",
        "enseignement supérieur",
        "university",
        "higher education",
    ),
    OrganisationKind.HOSPITAL: (
        "hôpital",
        "hôpitaux",
        "hospitalier",
        "hospitaliers",
        "CHU",
        "clinique",
        "hospices",
        "hospital",
    ),
    OrganisationKind.LOCAL_AUTHORITY: (
        "collectivité",
        "collectivités",
        "conseil régional",
        "conseil départemental",
        "métropole",
        "communauté de communes",
        "agglomération",
        "local authority",
    ),
    OrganisationKind.ECONOMIC_DEVELOPMENT: (
        "développement économique",
        "agence de développement",
        "attractivité",
        "chambre de commerce",
        "CCI",
        "economic development",
    ),
    OrganisationKind.BANK_INVESTOR: (
        "banque",
        "banques",
        "investisseur",
        "investisseurs",
        "investissement",
        "capital risque",
        "financeur",
        "financeurs",
        "bank",
        "investor",
        "investors",
    ),
    OrganisationKind.CLUSTER: ("pôle", "pôles", "cluster", "clusters", "French Tech"),
    OrganisationKind.TECH_PLATFORM: (
        "plateforme",
        "plateformes",
        "centre technique",
        "centre technologique",
        "platform",
    ),
    OrganisationKind.ASSOCIATION: (
        "association",
        "associations",
        "fédération",
        "syndicat",
        "réseau",
        "non profit",
    ),
    OrganisationKind.OTHER: (),
}

# The company category of the Sirene register (categorieEntreprise).
SIRENE_CATEGORY_KINDS: dict[str, OrganisationKind] = {
    "PME": OrganisationKind.PME,
    "ETI": OrganisationKind.ETI,
    "GE": OrganisationKind.LARGE_COMPANY,
}
