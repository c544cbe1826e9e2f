"""Word lists the CRM demo composes its organisations, people and addresses from.

Organisation names are made up: stems ("Immuno" + "vance"), legal forms and place names
put together by ``demo.members`` with the demo's seeded generator.
Each text that a page shows has a French and an English form.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- people -----------------------------------------------------------------------------

FEMALE_FIRST_NAMES = (
    "Camille", "Claire", "Nadia", "Sophie", "Élodie", "Inès", "Chloé", "Manon", "Léa",
    "Julie", "Aurélie", "Céline", "Émilie", "Sarah", "Laura", "Marion", "Pauline", "Anaïs",
    "Hélène", "Isabelle", "Nathalie", "Sandrine", "Valérie", "Caroline", "Amandine", "Lucie",
    "Mathilde", "Charlotte", "Justine", "Agnès", "Samira", "Yasmine", "Fatou", "Mélanie",
    "Virginie", "Audrey", "Stéphanie", "Delphine", "Florence", "Béatrice",
)  # fmt: skip
MALE_FIRST_NAMES = (
    "Julien", "Thomas", "Karim", "Mathieu", "Laurent", "Antoine", "Hugo", "Nicolas",
    "Pierre", "Olivier", "Sébastien", "Guillaume", "Maxime", "Romain", "Vincent", "Benoît",
    "François", "Jérôme", "Christophe", "Arnaud", "Damien", "Fabien", "Yannick", "Cédric",
    "Alexandre", "Mehdi", "Rachid", "Éric", "Philippe", "Stéphane", "Frédéric", "Xavier",
    "Grégoire", "Bastien", "Quentin", "Clément", "Lucas", "Adrien", "Bruno", "Didier",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre",
    "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
    "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
    "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis",
    "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer",
    "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie",
    "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
    "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc",
    "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Lacroix",
    "Benali", "Haddad", "Mansouri", "Diallo", "Traoré", "Tran", "Pham", "Da Silva",
)  # fmt: skip

# (masculine, feminine) French job titles; the first ones head an organisation.
LEADER_TITLES = (
    ("Président-directeur général", "Présidente-directrice générale"),
    ("Directeur général", "Directrice générale"),
    ("Fondateur et président", "Fondatrice et présidente"),
    ("Gérant", "Gérante"),
)
JOB_TITLES = (
    ("Directeur scientifique", "Directrice scientifique"),
    ("Responsable R&D", "Responsable R&D"),
    ("Directeur administratif et financier", "Directrice administrative et financière"),
    ("Responsable des affaires réglementaires", "Responsable des affaires réglementaires"),
    ("Chef de projet innovation", "Cheffe de projet innovation"),
    ("Responsable partenariats", "Responsable partenariats"),
    ("Directeur des opérations", "Directrice des opérations"),
    ("Responsable qualité", "Responsable qualité"),
    ("Ingénieur de recherche", "Ingénieure de recherche"),
    ("Responsable marketing", "Responsable marketing"),
    ("Directeur commercial", "Directrice commerciale"),
    ("Chargé d'affaires européennes", "Chargée d'affaires européennes"),
)
# Public bodies are led and staffed by other titles.
PUBLIC_LEADER_TITLES = (
    ("Directeur", "Directrice"),
    ("Président", "Présidente"),
    ("Directeur d'unité", "Directrice d'unité"),
)
PUBLIC_JOB_TITLES = (
    ("Chargé de valorisation", "Chargée de valorisation"),
    ("Directeur de recherche", "Directrice de recherche"),
    ("Responsable des partenariats industriels", "Responsable des partenariats industriels"),
    ("Chargé de mission innovation", "Chargée de mission innovation"),
    ("Maître de conférences", "Maîtresse de conférences"),
)

# -- places -----------------------------------------------------------------------------

STREET_KINDS = ("rue", "avenue", "boulevard", "allée", "chemin", "place", "quai", "impasse")
STREET_NAMES = (
    "Jean Jaurès", "Pasteur", "de la République", "Victor Hugo", "Gambetta", "Garibaldi",
    "des Frères Lumière", "Tony Garnier", "du Général Leclerc", "Claude Bernard",
    "Marie Curie", "Louis Néel", "de l'Industrie", "des Sciences", "de l'Innovation",
    "Paul Bert", "Jules Ferry", "du Professeur Calmette", "Berthelot", "Voltaire",
    "Ampère", "Denis Papin", "des Martyrs", "de la Gare", "du Stade", "des Platanes",
    "Jacquard", "Édouard Herriot", "Charles de Gaulle", "de Lattre de Tassigny",
)  # fmt: skip

# (city, postal code) in Auvergne-Rhône-Alpes, with a weight: the health cluster's
# members gather around Lyon, the others around their own seat (see members._places).
REGION_PLACES = (
    ("Lyon", "69001", 3), ("Lyon", "69002", 3), ("Lyon", "69003", 6), ("Lyon", "69006", 4),
    ("Lyon", "69007", 12), ("Lyon", "69008", 8), ("Lyon", "69009", 4),
    ("Villeurbanne", "69100", 8), ("Marcy-l'Étoile", "69280", 3), ("Vénissieux", "69200", 3),
    ("Bron", "69500", 3), ("Écully", "69130", 2), ("Dardilly", "69570", 2),
    ("Limonest", "69760", 2), ("Saint-Priest", "69800", 2),
    ("Grenoble", "38000", 6), ("La Tronche", "38700", 2), ("Meylan", "38240", 3),
    ("Saint-Martin-d'Hères", "38400", 2), ("Échirolles", "38130", 1), ("Voiron", "38500", 1),
    ("Saint-Étienne", "42000", 4), ("Saint-Étienne", "42100", 2), ("Roanne", "42300", 1),
    ("Clermont-Ferrand", "63000", 4), ("Clermont-Ferrand", "63100", 2), ("Riom", "63200", 1),
    ("Annecy", "74000", 3), ("Cluses", "74300", 1), ("Thonon-les-Bains", "74200", 1),
    ("Chambéry", "73000", 2), ("Valence", "26000", 2), ("Pierrelatte", "26700", 1),
    ("Bourg-en-Bresse", "01000", 1), ("Oyonnax", "01100", 1), ("Bellignat", "01100", 1),
    ("Vichy", "03200", 1), ("Montluçon", "03100", 1), ("Aurillac", "15000", 1),
    ("Le Puy-en-Velay", "43000", 1), ("Annonay", "07100", 1),
)  # fmt: skip

# A few cities per other region (INSEE region code), for the national-scale clusters.
OTHER_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "11": (("Paris", "75013"), ("Paris", "75015"), ("Saclay", "91190"), ("Évry", "91000"),
           ("Boulogne-Billancourt", "92100"), ("Créteil", "94000")),
    "24": (("Orléans", "45000"), ("Tours", "37000"), ("Bourges", "18000")),
    "27": (("Dijon", "21000"), ("Besançon", "25000"), ("Belfort", "90000")),
    "28": (("Rouen", "76000"), ("Caen", "14000"), ("Le Havre", "76600")),
    "32": (("Lille", "59000"), ("Amiens", "80000"), ("Compiègne", "60200")),
    "44": (("Strasbourg", "67000"), ("Nancy", "54000"), ("Reims", "51100"),
           ("Mulhouse", "68100"), ("Metz", "57000")),
    "52": (("Nantes", "44000"), ("Angers", "49000"), ("Le Mans", "72000"),
           ("Saint-Nazaire", "44600")),
    "53": (("Rennes", "35000"), ("Brest", "29200"), ("Lorient", "56100"), ("Lannion", "22300")),
    "75": (("Bordeaux", "33000"), ("Limoges", "87000"), ("Poitiers", "86000"), ("Pau", "64000"),
           ("La Rochelle", "17000")),
    "76": (("Toulouse", "31000"), ("Montpellier", "34000"), ("Nîmes", "30000"),
           ("Perpignan", "66000")),
    "93": (("Marseille", "13013"), ("Nice", "06000"), ("Valbonne", "06560"), ("Toulon", "83000"),
           ("Aix-en-Provence", "13100"), ("Avignon", "84000")),
}  # fmt: skip

# The first digit of a French landline number by INSEE region code (default 4).
PHONE_ZONES = {
    "11": "1", "24": "2", "28": "2", "52": "2", "53": "2",
    "27": "3", "32": "3", "44": "3", "75": "5",
}  # fmt: skip

# -- organisations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What kind of business a generated company is in: the stems of its name, the legal
    forms it takes, what it makes and for what (French, English), and, for the health
    cluster, the English names of the domain, markets and themes it is tagged with."""

    key: str
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    forms: tuple[str, ...]
    products: tuple[tuple[str, str], ...]
    uses: tuple[tuple[str, str, str], ...]  # (French, English, theme in English or "")
    domain: str = ""
    markets: tuple[str, ...] = ()


COMPANY_FORMS = ("{} SAS", "{} SA", "{} SARL", "{}")
HEALTH_FORMS = (
    "{} SAS", "{} Therapeutics", "Laboratoires {}", "{} Biotech", "{} Pharma",
    "{} Santé", "{}", "{} SA", "{} Bioscience",
)  # fmt: skip

_INFECTIOUS = ("les maladies infectieuses", "infectious diseases", "Infectious diseases")
_CANCER = ("le traitement des cancers", "cancer treatment", "Cancer")
_METABOLIC = ("les maladies métaboliques", "metabolic diseases", "Metabolic diseases")

HEALTH_PROFILES = (
    Profile(
        key="human",
        prefixes=(
            "Bio",
            "Thera",
            "Immuno",
            "Pharma",
            "Onco",
            "Cell",
            "Gen",
            "Vaxi",
            "Neuro",
            "Cardio",
            "Proteo",
            "Viro",
            "Anti",
            "Myco",
            "Lipo",
        ),
        suffixes=(
            "vance",
            "gen",
            "cure",
            "thera",
            "lys",
            "nova",
            "vax",
            "line",
            "cyte",
            "bodies",
            "xis",
            "pharm",
            "genix",
            "target",
            "med",
            "ther",
        ),
        forms=HEALTH_FORMS,
        products=(
            ("des anticorps monoclonaux", "monoclonal antibodies"),
            ("des vaccins de nouvelle génération", "next-generation vaccines"),
            ("des thérapies cellulaires", "cell therapies"),
            ("des médicaments biologiques", "biological drugs"),
            ("des petites molécules", "small-molecule drugs"),
            ("des bactériophages thérapeutiques", "therapeutic bacteriophages"),
            ("des ARN messagers", "messenger RNA drugs"),
            ("des peptides antimicrobiens", "antimicrobial peptides"),
        ),
        uses=(
            _INFECTIOUS,
            _CANCER,
            _METABOLIC,
            ("les maladies rares", "rare diseases", ""),
            ("les maladies auto-immunes", "autoimmune diseases", ""),
        ),
        domain="Human medicines",
        markets=("Oncology", "Infectious diseases", "Rare diseases", "Bioproduction"),
    ),
    Profile(
        key="veterinary",
        prefixes=("Vet", "Zoo", "Ani", "Bio", "Vaxi", "Pet", "Agro"),
        suffixes=("vax", "care", "vet", "gen", "pharm", "nova", "lys", "santé", "medic"),
        forms=HEALTH_FORMS,
        products=(
            ("des vaccins vétérinaires", "veterinary vaccines"),
            ("des antiparasitaires", "antiparasitic drugs"),
            ("des alternatives aux antibiotiques", "alternatives to antibiotics"),
            ("des tests de diagnostic vétérinaire", "veterinary diagnostic tests"),
        ),
        uses=(
            ("la santé des animaux d'élevage", "livestock health", "Infectious diseases"),
            ("les animaux de compagnie", "companion animals", ""),
            ("l'aquaculture", "aquaculture", "Infectious diseases"),
        ),
        domain="Veterinary medicines",
        markets=("Animal health", "Infectious diseases"),
    ),
    Profile(
        key="diagnostics",
        prefixes=("Diag", "Bio", "Gen", "Micro", "Sero", "Path", "Lab", "Omni", "Seq"),
        suffixes=(
            "nostics",
            "sense",
            "test",
            "scan",
            "check",
            "logic",
            "marker",
            "dx",
            "assay",
            "detect",
            "screen",
        ),
        forms=(*HEALTH_FORMS, "{} Diagnostics"),
        products=(
            ("des tests de diagnostic rapide", "rapid diagnostic tests"),
            ("des biomarqueurs", "biomarkers"),
            ("des automates d'analyse", "laboratory analysers"),
            ("des tests de séquençage", "sequencing assays"),
            ("des tests compagnons", "companion diagnostics"),
        ),
        uses=(
            _INFECTIOUS,
            _CANCER,
            _METABOLIC,
            ("la résistance aux antibiotiques", "antimicrobial resistance", "Infectious diseases"),
        ),
        domain="In-vitro diagnostics",
        markets=("Diagnostics", "Infectious diseases", "Oncology"),
    ),
    Profile(
        key="medtech",
        prefixes=(
            "Med",
            "Ortho",
            "Cardio",
            "Neuro",
            "Endo",
            "Echo",
            "Radio",
            "Implant",
            "Kine",
            "Surgi",
            "Derma",
        ),
        suffixes=(
            "tech",
            "vision",
            "scan",
            "robotics",
            "sense",
            "care",
            "flow",
            "medical",
            "wave",
            "guide",
            "ix",
        ),
        forms=(*HEALTH_FORMS, "{} Medical"),
        products=(
            ("des dispositifs implantables", "implantable devices"),
            ("des logiciels d'imagerie médicale", "medical imaging software"),
            ("des capteurs connectés", "connected sensors"),
            ("des robots chirurgicaux", "surgical robots"),
            ("des outils de télésurveillance", "remote monitoring tools"),
        ),
        uses=(
            (
                "le suivi des patients chroniques",
                "the follow-up of chronic patients",
                "Metabolic diseases",
            ),
            ("la chirurgie mini-invasive", "minimally invasive surgery", ""),
            ("la radiothérapie", "radiotherapy", "Cancer"),
            ("la rééducation", "rehabilitation", ""),
        ),
        domain="Medical devices and medtech",
        markets=("Medical imaging", "Oncology"),
    ),
)

# The markets the demo creates for the health cluster (French, English).
HEALTH_MARKETS = (
    ("Oncologie", "Oncology"),
    ("Maladies infectieuses", "Infectious diseases"),
    ("Santé animale", "Animal health"),
    ("Diagnostic", "Diagnostics"),
    ("Imagerie médicale", "Medical imaging"),
    ("Maladies rares", "Rare diseases"),
    ("Bioproduction", "Bioproduction"),
)

# The other clusters' trades, by a word of their sector (or of their name, for the
# national list, which has no sector).
SECTOR_PROFILES = {
    "chimie": Profile(
        key="chimie",
        prefixes=("Chem", "Poly", "Cata", "Hydro", "Syn", "Carbo", "Eco", "Mol", "Solv", "Iso"),
        suffixes=("lys", "chem", "tek", "sol", "mer", "gen", "ox", "pur", "cat", "ium"),
        forms=(*COMPANY_FORMS, "{} Chimie", "{} Environnement", "{} Industries"),
        products=(
            ("des catalyseurs", "catalysts"),
            ("des solvants biosourcés", "bio-based solvents"),
            ("des procédés de recyclage", "recycling processes"),
            ("des membranes de filtration", "filtration membranes"),
        ),
        uses=(
            ("la chimie verte", "green chemistry", ""),
            ("le traitement des eaux", "water treatment", ""),
            ("l'industrie pharmaceutique", "the pharmaceutical industry", ""),
        ),
    ),
    "mobilité": Profile(
        key="mobilité",
        prefixes=("Mobi", "Auto", "Trans", "Rail", "Velo", "Cargo", "Move", "Drive", "Aero"),
        suffixes=("tech", "sys", "way", "motion", "lab", "trans", "line", "go", "tronic"),
        forms=(*COMPANY_FORMS, "{} Mobility", "{} Automotive"),
        products=(
            ("des batteries", "batteries"),
            ("des logiciels embarqués", "embedded software"),
            ("des véhicules électriques légers", "light electric vehicles"),
            ("des systèmes d'aide à la conduite", "driver-assistance systems"),
        ),
        uses=(
            ("la logistique urbaine", "urban logistics", ""),
            ("le transport ferroviaire", "rail transport", ""),
            ("les véhicules industriels", "industrial vehicles", ""),
        ),
    ),
    "mécanique": Profile(
        key="mécanique",
        prefixes=("Meca", "Robo", "Usi", "Metal", "Indus", "Axi", "Forg", "Precis", "Tol"),
        suffixes=("tec", "form", "tech", "meca", "sys", "fab", "line", "ix", "ind"),
        forms=(*COMPANY_FORMS, "{} Industrie", "Établissements {}", "{} Mécanique"),
        products=(
            ("des pièces de décolletage", "bar-turned parts"),
            ("des robots collaboratifs", "collaborative robots"),
            ("des machines spéciales", "special-purpose machines"),
            ("des pièces en fabrication additive", "additively manufactured parts"),
        ),
        uses=(
            ("l'aéronautique", "aerospace", ""),
            ("l'automobile", "the automotive industry", ""),
            ("l'industrie du futur", "smart manufacturing", ""),
        ),
    ),
    "agriculture": Profile(
        key="agriculture",
        prefixes=("Agri", "Agro", "Vege", "Terr", "Sem", "Fruit", "Lact", "Cere", "Sylv", "Bois"),
        suffixes=("nova", "tech", "sol", "val", "terra", "gri", "lis", "pousse", "vert", "bio"),
        forms=(*COMPANY_FORMS, "{} Agro", "Coopérative {}", "{} Bois"),
        products=(
            ("des semences", "seeds"),
            ("des produits laitiers", "dairy products"),
            ("des capteurs agricoles", "farm sensors"),
            ("du bois de construction", "construction timber"),
        ),
        uses=(
            ("l'agriculture de précision", "precision farming", ""),
            ("l'alimentation durable", "sustainable food", ""),
            ("la filière forêt-bois", "the forestry sector", ""),
        ),
    ),
    "numérique": Profile(
        key="numérique",
        prefixes=(
            "Data",
            "Cyber",
            "Opti",
            "Nano",
            "Micro",
            "Photo",
            "Quanti",
            "Logi",
            "Smart",
            "Edge",
            "Silic",
            "Nume",
        ),
        suffixes=(
            "tech",
            "sys",
            "lab",
            "soft",
            "ware",
            "link",
            "tronic",
            "wave",
            "chip",
            "sense",
            "ix",
            "ium",
        ),
        forms=(*COMPANY_FORMS, "{} Technologies", "{} Software"),
        products=(
            ("des composants électroniques", "electronic components"),
            ("des logiciels d'intelligence artificielle", "artificial-intelligence software"),
            ("des capteurs d'image", "image sensors"),
            ("des solutions de cybersécurité", "cybersecurity solutions"),
        ),
        uses=(
            ("l'industrie", "industry", ""),
            ("la santé connectée", "connected health", ""),
            ("les objets connectés", "the internet of things", ""),
        ),
    ),
    "énergie": Profile(
        key="énergie",
        prefixes=("Sol", "Helio", "Hydro", "Watt", "Volt", "Eol", "Nucle", "Therm", "Enr", "Gaz"),
        suffixes=("gen", "tech", "power", "energy", "flux", "cell", "grid", "sys", "ion"),
        forms=(*COMPANY_FORMS, "{} Energy", "{} Énergies"),
        products=(
            ("des électrolyseurs", "electrolysers"),
            ("des modules photovoltaïques", "solar panels"),
            ("des équipements nucléaires", "nuclear equipment"),
            ("des réseaux de chaleur", "heating networks"),
        ),
        uses=(
            ("la transition énergétique", "the energy transition", ""),
            ("le stockage de l'énergie", "energy storage", ""),
            ("l'hydrogène", "hydrogen", ""),
        ),
    ),
    "plasturgie": Profile(
        key="plasturgie",
        prefixes=("Plast", "Poly", "Compo", "Moul", "Extru", "Elast", "Resin", "Film"),
        suffixes=("form", "plast", "tec", "mer", "pack", "mould", "ix", "tech"),
        forms=(*COMPANY_FORMS, "{} Plasturgie", "{} Composites"),
        products=(
            ("des pièces injectées", "injection-moulded parts"),
            ("des emballages recyclables", "recyclable packaging"),
            ("des matériaux composites", "composite materials"),
        ),
        uses=(
            ("la cosmétique", "cosmetics", ""),
            ("le médical", "medical products", ""),
            ("l'automobile", "the automotive industry", ""),
        ),
    ),
    "textile": Profile(
        key="textile",
        prefixes=("Tex", "Fibr", "Tiss", "Soie", "Fil", "Maill", "Tress", "Lin"),
        suffixes=("tex", "tis", "fil", "line", "tech", "ia", "mode", "weave"),
        forms=(*COMPANY_FORMS, "{} Textiles", "Tissages {}"),
        products=(
            ("des textiles techniques", "technical textiles"),
            ("des fibres recyclées", "recycled fibres"),
            ("des textiles connectés", "smart textiles"),
        ),
        uses=(
            ("les équipements de protection", "protective equipment", ""),
            ("le médical", "medical products", ""),
            ("la mode durable", "sustainable fashion", ""),
        ),
    ),
    "btp": Profile(
        key="btp",
        prefixes=("Bat", "Struct", "Beton", "Geo", "Infra", "Pont", "Route", "Construc"),
        suffixes=("tec", "bat", "sol", "struct", "ing", "ix", "trav", "pro"),
        forms=(*COMPANY_FORMS, "{} Construction", "{} Ingénierie", "Entreprise {}"),
        products=(
            ("des bétons bas carbone", "low-carbon concrete"),
            ("des outils de maquette numérique", "building information modelling tools"),
            ("des capteurs de surveillance d'ouvrages", "structural health sensors"),
        ),
        uses=(
            ("les infrastructures", "infrastructure", ""),
            ("la rénovation énergétique", "energy-efficient renovation", ""),
        ),
    ),
}

# Words of a sector or a cluster's name -> the key of its profile above.
SECTOR_WORDS = (
    ("sant", "santé"), ("bio", "santé"), ("med", "santé"), ("cosmet", "chimie"),
    ("chim", "chimie"), ("axelera", "chimie"), ("materi", "chimie"), ("ceram", "chimie"),
    ("mobil", "mobilité"), ("vehic", "mobilité"), ("car", "mobilité"), ("trans", "mobilité"),
    ("aero", "mobilité"), ("move", "mobilité"), ("mer", "mobilité"), ("safe", "mobilité"),
    ("mécani", "mécanique"), ("cimes", "mécanique"), ("astech", "mécanique"),
    ("agri", "agriculture"), ("agro", "agriculture"), ("vég", "agriculture"),
    ("vita", "agriculture"), ("xylo", "agriculture"), ("hippo", "agriculture"),
    ("aqui", "agriculture"), ("numér", "numérique"), ("digital", "numérique"),
    ("image", "numérique"), ("optitec", "numérique"), ("scs", "numérique"),
    ("alpha", "numérique"), ("finance", "numérique"), ("énerg", "énergie"),
    ("energ", "énergie"), ("nucle", "énergie"), ("derbi", "énergie"), ("plast", "plasturgie"),
    ("polymer", "plasturgie"), ("textil", "textile"), ("fibre", "textile"),
    ("techtera", "textile"), ("btp", "btp"), ("infr", "btp"),
)  # fmt: skip

# Public bodies: research units' subjects, founders of universities, investors' words.
RESEARCH_TOPICS = (
    ("immunologie", "immunology"), ("virologie", "virology"), ("infectiologie", "infectiology"),
    ("biologie cellulaire", "cell biology"), ("génomique fonctionnelle", "functional genomics"),
    ("cancérologie", "cancer research"), ("neurosciences", "neuroscience"),
    ("pharmacologie", "pharmacology"), ("biologie structurale", "structural biology"),
    ("microbiologie", "microbiology"), ("santé animale", "animal health"),
    ("imagerie biomédicale", "biomedical imaging"),
)  # fmt: skip
SECTOR_TOPICS = (
    ("chimie des matériaux", "materials chemistry"), ("génie des procédés", "process engineering"),
    ("microélectronique", "microelectronics"), ("énergie solaire", "solar energy"),
    ("mécanique des structures", "structural mechanics"), ("agronomie", "agronomy"),
    ("science des polymères", "polymer science"), ("informatique", "computer science"),
    ("physique des matériaux", "materials physics"), ("génie civil", "civil engineering"),
)  # fmt: skip
RESEARCH_BODIES = ("CNRS", "Inserm", "INRAE", "CEA", "Inria")
SCHOLARS = (
    "Claude Bernard", "Louis Pasteur", "Marie Curie", "Jean Monnet", "Joseph Fourier",
    "Blaise Pascal", "Ambroise Paré", "Pierre Mendès France", "Jacques Monod", "Louis Lumière",
)  # fmt: skip
INVESTOR_WORDS = ("Capital", "Ventures", "Invest", "Partners", "Gestion", "Participations")

# -- the cluster's life -------------------------------------------------------------------

RESIGNATION_REASONS = (
    "Rachat par un groupe déjà adhérent",
    "Cessation d'activité",
    "Recentrage sur d'autres marchés",
    "Contraintes budgétaires",
    "Liquidation judiciaire",
    "Déménagement hors de la région",
    "Adhésion à un pôle plus proche de son activité",
    "Fin du projet collaboratif qui motivait l'adhésion",
)
# (interaction kind, subject)
INTERACTION_SUBJECTS = (
    ("meeting", "Rendez-vous annuel de l'adhérent"),
    ("meeting", "Présentation de l'offre d'accompagnement"),
    ("meeting", "Visite du centre d'innovation"),
    ("meeting", "Propriété intellectuelle : premier échange"),
    ("meeting", "Accès aux laboratoires P2/P3"),
    ("call", "Point d'avancement du projet collaboratif"),
    ("call", "Préparation d'un dossier de financement"),
    ("call", "Conseil sur l'accès au marché"),
    ("call", "Relance de la cotisation"),
    ("email", "Mise en relation avec un investisseur"),
    ("email", "Recherche de partenaires pour un consortium européen"),
    ("email", "Envoi de l'appel à projets en cours"),
    ("event", "Rencontre lors d'une convention d'affaires"),
    ("event", "Échange pendant la journée des adhérents"),
)
INTERACTION_NOTES = (
    "Projet de levée de fonds d'ici dix-huit mois.",
    "Intéressé par les rendez-vous d'affaires du prochain salon.",
    "Cherche un partenaire industriel pour un essai clinique.",
    "Souhaite recruter deux ingénieurs d'ici l'été.",
    "Besoin d'un accompagnement sur la stratégie de brevets.",
    "A déposé une demande d'aide auprès de Bpifrance.",
    "Envisage de rejoindre le centre d'innovation.",
    "Questions sur le marquage CE et le règlement européen.",
)
NEXT_ACTIONS = (
    "Envoyer la synthèse de la réunion",
    "Proposer deux partenaires industriels",
    "Relire le dossier de candidature",
    "Organiser une visite du centre d'innovation",
    "Transmettre les contacts d'experts",
    "Relancer pour la cotisation",
    "Planifier un point de suivi",
)
