"""French départements and regions, and the département of a postal code.

Codes and names are INSEE's Code officiel géographique (COG, 2024 edition): the 18
regions since the 2016 reform (13 in metropolitan France, 5 overseas) and the 101
départements (96 metropolitan, Corsica split into 2A and 2B, and 5 overseas).
"""

from __future__ import annotations

import re

# INSEE region code -> region name.
REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

# Département code -> (name, INSEE region code).
DEPARTEMENTS: dict[str, tuple[str, str]] = {
    "01": ("Ain", "84"),
    "02": ("Aisne", "32"),
    "03": ("Allier", "84"),
    "04": ("Alpes-de-Haute-Provence", "93"),
    "05": ("Hautes-Alpes", "93"),
    "06": ("Alpes-Maritimes", "93"),
    "07": ("Ardèche", "84"),
    "08": ("Ardennes", "44"),
    "09": ("Ariège", "76"),
    "10": ("Aube", "44"),
    "11": ("Aude", "76"),
    "12": ("Aveyron", "76"),
    "13": ("Bouches-du-Rhône", "93"),
    "14": ("Calvados", "28"),
    "15": ("Cantal", "84"),
    "16": ("Charente", "75"),
    "17": ("Charente-Maritime", "75"),
    "18": ("Cher", "24"),
    "19": ("Corrèze", "75"),
    "2A": ("Corse-du-Sud", "94"),
    "2B": ("Haute-Corse", "94"),
    "21": ("Côte-d'Or", "27"),
    "22": ("Côtes-d'Armor", "53"),
    "23": ("Creuse", "75"),
    "24": ("Dordogne", "75"),
    "25": ("Doubs", "27"),
    "26": ("Drôme", "84"),
    "27": ("Eure", "28"),
    "28": ("Eure-et-Loir", "24"),
    "29": ("Finistère", "53"),
    "30": ("Gard", "76"),
    "31": ("Haute-Garonne", "76"),
    "32": ("Gers", "76"),
    "33": ("Gironde", "75"),
    "34": ("Hérault", "76"),
    "35": ("Ille-et-Vilaine", "53"),
    "36": ("Indre", "24"),
    "37": ("Indre-et-Loire", "24"),
    "38": ("Isère", "84"),
    "39": ("Jura", "27"),
    "40": ("Landes", "75"),
    "41": ("Loir-et-Cher", "24"),
    "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"),
    "44": ("Loire-Atlantique", "52"),
    "45": ("Loiret", "24"),
    "46": ("Lot", "76"),
    "47": ("Lot-et-Garonne", "75"),
    "48": ("Lozère", "76"),
    "49": ("Maine-et-Loire", "52"),
    "50": ("Manche", "28"),
    "51": ("Marne", "44"),
    "52": ("Haute-Marne", "44"),
    "53": ("Mayenne", "52"),
    "54": ("Meurthe-et-Moselle", "44"),
    "55": ("Meuse", "44"),
    "56": ("Morbihan", "53"),
    "57": ("Moselle", "44"),
    "58": ("Nièvre", "27"),
    "59": ("Nord", "32"),
    "60": ("Oise", "32"),
    "61": ("Orne", "28"),
    "62": ("Pas-de-Calais", "32"),
    "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"),
    "65": ("Hautes-Pyrénées", "76"),
    "66": ("Pyrénées-Orientales", "76"),
    "67": ("Bas-Rhin", "44"),
    "68": ("Haut-Rhin", "44"),
    "69": ("Rhône", "84"),
    "70": ("Haute-Saône", "27"),
    "71": ("Saône-et-Loire", "27"),
    "72": ("Sarthe", "52"),
    "73": ("Savoie", "84"),
    "74": ("Haute-Savoie", "84"),
    "75": ("Paris", "11"),
    "76": ("Seine-Maritime", "28"),
    "77": ("Seine-et-Marne", "11"),
    "78": ("Yvelines", "11"),
    "79": ("Deux-Sèvres", "75"),
    "80": ("Somme", "32"),
    "81": ("Tarn", "76"),
    "82": ("Tarn-et-Garonne", "76"),
    "83": ("Var", "93"),
    "84": ("Vaucluse", "93"),
    "85": ("Vendée", "52"),
    "86": ("Vienne", "75"),
    "87": ("Haute-Vienne", "75"),
    "88": ("Vosges", "44"),
    "89": ("Yonne", "27"),
    "90": ("Territoire de Belfort", "27"),
    "91": ("Essonne", "11"),
    "92": ("Hauts-de-Seine", "11"),
    "93": ("Seine-Saint-Denis", "11"),
    "94": ("Val-de-Marne", "11"),
    "95": ("Val-d'Oise", "11"),
    "971": ("Guadeloupe", "01"),
    "972": ("Martinique", "02"),
    "973": ("Guyane", "03"),
    "974": ("La Réunion", "04"),
    "976": ("Mayotte", "06"),
}

_POSTAL_CODE = re.compile(r"\d{4,5}")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")

# Postal codes of the overseas collectivities that are not départements, although
# La Poste files them under 97: Saint-Barthélemy (97133) and Saint-Martin (97150),
# which left Guadeloupe in 2007, and Saint-Pierre-et-Miquelon (975xx).
_NOT_DEPARTEMENTS = ("97133", "97150", "975")


def departement_of_postal_code(code: str) -> str | None:
    """Return the département code ("69", "2A", "974") a French postal code belongs to.

    Accepts "69 003" and four-digit codes whose leading zero a spreadsheet dropped
    ("1000" is 01000). Returns None for anything else, for Monaco (980xx) and the other
    98xxx codes, and for overseas collectivities that are not départements. The postal
    code is the distribution office's: a few communes on a border have their
    neighbour's; the INSEE commune code is the authority where one is known.
    """
    text = _SPACES.sub("", code)
    if not _POSTAL_CODE.fullmatch(text):
        return None
    text = text.zfill(5)
    if text.startswith("20"):
        # Corsica: 200xx and 201xx are Corse-du-Sud, 202xx to 206xx Haute-Corse.
        if text[2] in "01":
            return "2A"
        return "2B" if text[2] in "23456" else None
    if text.startswith("97"):
        if text.startswith(_NOT_DEPARTEMENTS):
            return None
        return text[:3] if text[:3] in DEPARTEMENTS else None
    return text[:2] if text[:2] in DEPARTEMENTS else None


def _departement_code(code: str) -> str:
    """Fold the ways people write a département code: "1", "01", "2a", " 69 "."""
    text = code.strip().upper()
    return text.zfill(2) if text.isdigit() and len(text) == 1 else text


def region_of_departement(code: str) -> str | None:
    """Return the INSEE region code of a département, or None for an unknown code."""
    entry = DEPARTEMENTS.get(_departement_code(code))
    return entry[1] if entry else None


def departement_name(code: str) -> str | None:
    """Return the name of a département ("Rhône" for "69"), or None for an unknown code."""
    entry = DEPARTEMENTS.get(_departement_code(code))
    return entry[0] if entry else None


def region_name(code: str) -> str | None:
    """Return the name of a region from its INSEE code ("84"), or None."""
    return REGIONS.get(code.strip())
