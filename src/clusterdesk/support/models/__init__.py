"""The support domain's models, one module per kind of thing."""

from clusterdesk.support.models.cases import (
    CaseAction,
    CaseOutcome,
    StagePeriod,
    SupportCase,
)
from clusterdesk.support.models.experts import Expert, ExpertConflict, Mission
from clusterdesk.support.models.programmes import FundingProgramme

__all__ = [
    "CaseAction",
    "CaseOutcome",
    "Expert",
    "ExpertConflict",
    "FundingProgramme",
    "Mission",
    "StagePeriod",
    "SupportCase",
]
