"""The national FUI rounds, reference data read from ``data/fui_rounds.csv``."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from clusterdesk.demo.projects.figures import FUI_SESSION

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Round:
    """A national FUI round: its call and the projects it funded across France."""

    number: int
    year: int
    season: str
    funded: int

    @property
    def opens_on(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.season == "spring" else 6, 15)

    @property
    def closes_on(self) -> datetime.date:
        return (
            datetime.date(self.year, 3, 31)
            if self.season == "spring"
            else (datetime.date(self.year, 10, 31))
        )

    @property
    def session(self) -> tuple[int, int]:
        return (self.year, FUI_SESSION[self.season])


def fui_rounds() -> list[Round]:
    text = resources.files("clusterdesk.demo").joinpath("data", "fui_rounds.csv")
    rows = csv.DictReader(text.read_text("utf-8").splitlines())
    return [
        Round(int(r["round"]), int(r["year"]), r["season"], int(r["projects_funded"])) for r in rows
    ]
