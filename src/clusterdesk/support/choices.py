"""The vocabulary of support cases: needs, stages, statuses, actions and outcomes.

Stages are ordered from the idea to the market: the pipeline board, the time spent in each
stage and the stage-to-stage conversions follow this order (``STAGE_ORDER``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    MARKET_STUDY = "market_study", _("Market study")
    TECHNICAL_EXPERTISE = "technical_expertise", _("Technical expertise")
    PARTNER_SEARCH = "partner_search", _("Partner search")
    FUNDRAISING = "fundraising", _("Fundraising")
    IP = "ip", _("Intellectual property and patents")
    REGULATORY = "regulatory", _("Regulatory, CE marking, clinical")
    HOSTING = "hosting", _("Hosting")
    FUNDING_SEARCH = "funding_search", _("Public funding search")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROOF_OF_CONCEPT = "proof_of_concept", _("Proof of concept")
    PRECLINICAL = "preclinical", _("Preclinical")
    CLINICAL = "clinical", _("Clinical")
    INDUSTRIALISATION = "industrialisation", _("Industrialisation and bioproduction")
    MARKET = "market", _("Market")


STAGE_ORDER: dict[str, int] = {stage: i for i, stage in enumerate(Stage.values)}


class CaseStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested by the company")
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


# A case still being worked on: shown first in lists, counted on the pipeline board.
CURRENT_STATUSES = frozenset({CaseStatus.REQUESTED, CaseStatus.OPEN, CaseStatus.ON_HOLD})
ENDED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.DECLINED})


class ActionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    INTRODUCTION = "introduction", _("Introduction")
    DOCUMENT = "document", _("Document")
    NOTE = "note", _("Note")


class OutcomeKind(models.TextChoices):
    FUNDS_RAISED = "funds_raised", _("Funds raised")
    PATENT_FILED = "patent_filed", _("Patent filed")
    PARTNER_FOUND = "partner_found", _("Partner found")
    HOSTED = "hosted", _("Hosted")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")


class FundingRound(models.TextChoices):
    LOVE_MONEY = "love_money", _("Love money")
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B = "series_b", _("Series B")
    SERIES_C = "series_c", _("Series C and later")
    IPO = "ipo", _("Initial public offering")
    GRANT = "grant", _("Grant or repayable advance")
    LOAN = "loan", _("Loan")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    UNAVAILABLE = "unavailable", _("Unavailable")


class MissionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ProgrammeFunder(models.TextChoices):
    FUI = "fui", _("FUI (State)")
    ANR = "anr", _("ANR")
    BPIFRANCE = "bpifrance", _("Bpifrance")
    REGION = "region", _("Region")
    HORIZON_EUROPE = "horizon_europe", _("Horizon Europe")
    EIC = "eic", _("European Innovation Council")
    INVESTORS = "investors", _("Investors")
    OTHER = "other", _("Other")
