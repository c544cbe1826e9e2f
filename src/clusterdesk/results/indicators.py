"""Named indicators computed from the records, over any period and filter.

Each indicator has a stable name (used by the API, reports and funders' templates), a value
computed with one aggregate query, and the records it counts (the drill-down). Later
domains (support, events, facilities) register theirs with ``register``.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusterdesk.crm.models import Membership, Organisation
from clusterdesk.crm.selectors import organisations_followed, sme_condition
from clusterdesk.projects.models import Application, FundingApplication, FundingLine, Partner
from clusterdesk.results.models import Outcome

Value = int | Decimal | float | dict[str, Any] | None


@dataclass(frozen=True)
class Scope:
    """Which clusters, which period (both ends included) and which filters."""

    cluster_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date
    domain_id: int | None = None
    theme_id: int | None = None
    funder: str = ""
    kind: str = ""  # organisation kind: the coordinator's for projects, the member's for members

    def previous(self) -> Scope:
        """The period of the same length just before, for comparisons (whole calendar
        years give whole calendar years, leap days or not)."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            years = self.end.year - self.start.year + 1
            start = self.start.replace(year=self.start.year - years)
            end = self.end.replace(year=self.end.year - years)
        else:
            end = self.start - datetime.timedelta(days=1)
            start = end - (self.end - self.start)
        return Scope(
            self.cluster_ids, start, end, self.domain_id, self.theme_id, self.funder, self.kind
        )


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str | Promise
    unit: str  # "count", "eur", "fte", "ratio" or "breakdown"
    value: Callable[[Scope], Value]
    records: Callable[[Scope], QuerySet[Any]] | None = None
    group: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)
    # The value for every calendar year of the scope in one grouped query (for charts);
    # without it, ``yearly`` asks ``value`` once per year.
    by_year: Callable[[Scope], dict[int, Value]] | None = None


REGISTRY: dict[str, Indicator] = {}
# Values shared by several indicators (investment and aid feed the leverage) are computed
# once per ``compute`` call.
_memo: ContextVar[dict[tuple[str, Scope], Any] | None] = ContextVar("indicator_memo", default=None)


def _memoised(fn: Callable[[Scope], Any]) -> Callable[[Scope], Any]:
    @functools.wraps(fn)
    def value(scope: Scope) -> Any:
        memo = _memo.get()
        if memo is None:
            return fn(scope)
        key = (fn.__qualname__, scope)
        if key not in memo:
            memo[key] = fn(scope)
        return memo[key]

    return value


def register(indicator: Indicator) -> Indicator:
    if indicator.name in REGISTRY:
        raise ValueError(f"Indicator {indicator.name!r} is registered twice.")
    REGISTRY[indicator.name] = indicator
    return indicator


def compute(scope: Scope, names: list[str] | None = None) -> dict[str, Value]:
    """The named indicators' values (all of them by default)."""
    wanted = names if names is not None else list(REGISTRY)
    unknown = [n for n in wanted if n not in REGISTRY]
    if unknown:
        raise KeyError(", ".join(unknown))
    token = _memo.set({})
    try:
        return {name: REGISTRY[name].value(scope) for name in wanted}
    finally:
        _memo.reset(token)


# -- projects ---------------------------------------------------------------------------


def _project_filters(qs: QuerySet[Application], scope: Scope) -> QuerySet[Application]:
    qs = qs.filter(cluster_id__in=scope.cluster_ids)
    if scope.domain_id:
        qs = qs.filter(domains=scope.domain_id)
    if scope.theme_id:
        qs = qs.filter(themes=scope.theme_id)
    if scope.funder:
        qs = qs.filter(
            Exists(
                FundingApplication.objects.filter(application=OuterRef("pk"), funder=scope.funder)
            )
        )
    if scope.kind:
        qs = qs.filter(
            Exists(
                Partner.objects.filter(
                    application=OuterRef("pk"),
                    role=Partner.Role.COORDINATOR,
                    organisation__kind=scope.kind,
                )
            )
        )
    return qs


def labelled(scope: Scope) -> QuerySet[Application]:
    return _project_filters(
        Application.objects.filter(
            state=Application.State.LABELLED, label_date__gte=scope.start, label_date__lte=scope.end
        ),
        scope,
    )


def funded(scope: Scope) -> QuerySet[Application]:
    """Labelled in the period, with at least one granted funding application."""
    granted = FundingApplication.objects.filter(
        application=OuterRef("pk"), status=FundingApplication.Status.GRANTED
    )
    if scope.funder:
        granted = granted.filter(funder=scope.funder)
    return labelled(scope).filter(Exists(granted))


def _moments(scope: Scope) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as a half-open range of aware datetimes: comparing timestamps directly
    lets the database use its indexes (a ``__date`` lookup casts every row)."""
    start = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def submitted(scope: Scope) -> QuerySet[Application]:
    start, end = _moments(scope)
    return _project_filters(
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end), scope
    )


def decided(scope: Scope) -> QuerySet[Application]:
    start, end = _moments(scope)
    return _project_filters(
        Application.objects.filter(
            state__in=[Application.State.LABELLED, Application.State.NOT_LABELLED],
            decided_at__gte=start,
            decided_at__lt=end,
        ),
        scope,
    )


@_memoised
def _investment(scope: Scope) -> Decimal:
    total = Partner.objects.filter(application__in=funded(scope).values("pk")).aggregate(
        s=Sum("budget_eur")
    )["s"]
    return total or Decimal(0)


@_memoised
def _public_aid(scope: Scope) -> Decimal:
    lines = FundingLine.objects.filter(
        funding__status=FundingApplication.Status.GRANTED,
        funding__application__in=funded(scope).values("pk"),
    )
    if scope.funder:
        lines = lines.filter(funding__funder=scope.funder)
    return lines.aggregate(s=Sum("granted_eur"))["s"] or Decimal(0)


def _ratio(top: Callable[[Scope], Any], bottom: Callable[[Scope], Any]) -> Callable[[Scope], Value]:
    def value(scope: Scope) -> float | None:
        b = bottom(scope)
        return round(float(top(scope)) / float(b), 4) if b else None

    return value


def _count(qs_of: Callable[[Scope], QuerySet[Any]]) -> Callable[[Scope], int]:
    return lambda scope: qs_of(scope).count()


def _aid_by_funder(scope: Scope) -> dict[str, Any]:
    rows = (
        FundingLine.objects.filter(
            funding__status=FundingApplication.Status.GRANTED,
            funding__application__in=funded(scope).values("pk"),
        )
        .values("funding__funder")
        .annotate(total=Sum("granted_eur"))
        .order_by("funding__funder")
    )
    return {r["funding__funder"]: r["total"] for r in rows}


# -- outcomes ---------------------------------------------------------------------------


def outcomes(scope: Scope, kind: str | None = None) -> QuerySet[Outcome]:
    qs = Outcome.objects.filter(
        cluster_id__in=scope.cluster_ids,
        state=Outcome.State.VALIDATED,
        date__gte=scope.start,
        date__lte=scope.end,
    )
    if kind:
        qs = qs.filter(kind=kind)
    if scope.domain_id or scope.theme_id or scope.funder or scope.kind:
        projects = _project_filters(Application.objects.all(), scope).values("pk")
        qs = qs.filter(application__in=projects)
    return qs


def _outcomes_of(kind: str) -> Callable[[Scope], QuerySet[Outcome]]:
    return lambda scope: outcomes(scope, kind)


def _jobs(scope: Scope) -> Decimal:
    return outcomes(scope, Outcome.Kind.JOBS).aggregate(s=Sum("fte"))["s"] or Decimal(0)


# Outcomes counted one by one. Jobs (in FTE) and funds raised (in euros) have their own
# figures: counting their records here gave "102 jobs" beside "405 jobs (FTE)".
COUNTED_KINDS = [
    k for k in Outcome.Kind if k not in (Outcome.Kind.JOBS, Outcome.Kind.FUNDING_RAISED)
]


def _outcomes_counted(scope: Scope) -> QuerySet[Outcome]:
    return outcomes(scope).filter(kind__in=COUNTED_KINDS)


def _outcomes_by_kind(scope: Scope) -> dict[str, Any]:
    rows = _outcomes_counted(scope).values("kind").annotate(n=Count("pk")).order_by("kind")
    return {r["kind"]: r["n"] for r in rows}


# -- members ----------------------------------------------------------------------------


def _active(scope: Scope, year: int) -> QuerySet[Membership]:
    return Membership.objects.filter(
        cluster_id__in=scope.cluster_ids, year=year, status=Membership.Status.ACTIVE
    )


def members(scope: Scope) -> QuerySet[Organisation]:
    """Organisations with an active membership in the period's last year (once each,
    however many of the clusters they belong to)."""
    qs = organisations_followed(cluster=scope.cluster_ids).filter(
        pk__in=_active(scope, scope.end.year).values("organisation_id")
    )
    return qs.filter(kind=scope.kind) if scope.kind else qs


def sme_members(scope: Scope) -> QuerySet[Organisation]:
    return members(scope).filter(sme_condition(True))


def shared_members(scope: Scope) -> QuerySet[Organisation]:
    """Members of two clusters or more of the scope."""
    shared = (
        _active(scope, scope.end.year)
        .values("organisation_id")
        .annotate(n=Count("cluster_id", distinct=True))
        .filter(n__gte=2)
        .values("organisation_id")
    )
    return members(scope).filter(pk__in=shared)


def joined(scope: Scope) -> QuerySet[Organisation]:
    before = _active(scope, scope.end.year - 1).values("organisation_id")
    return members(scope).exclude(pk__in=before)


def left(scope: Scope) -> QuerySet[Organisation]:
    now = _active(scope, scope.end.year).values("organisation_id")
    qs = (
        organisations_followed(cluster=scope.cluster_ids)
        .filter(pk__in=_active(scope, scope.end.year - 1).values("organisation_id"))
        .exclude(pk__in=now)
    )
    return qs.filter(kind=scope.kind) if scope.kind else qs


def _members_by_kind(scope: Scope) -> dict[str, Any]:
    rows = members(scope).values("kind").annotate(n=Count("pk")).order_by("kind")
    return {r["kind"]: r["n"] for r in rows}


# Figures that count only public records (labelled and funded projects, their outcomes): a
# funder may open what is public about them (``results.rules.PUBLIC_RECORDS``).
PUBLIC_INDICATORS = frozenset(
    {
        "projects_labelled",
        "projects_funded",
        "funding_rate",
        "investment_eur",
        "public_aid_eur",
        "leverage",
        "aid_by_funder",
        "patents",
        "clinical_trials",
        "products_launched",
        "jobs_created",
        "startups_created",
        "funding_raised_eur",
        "outcomes_by_kind",
    }
)

for _indicator in (
    Indicator(
        "applications",
        _("Applications submitted"),
        "count",
        _count(submitted),
        submitted,
        "projects",
    ),
    Indicator(
        "projects_labelled", _("Projects labelled"), "count", _count(labelled), labelled, "projects"
    ),
    Indicator(
        "label_rate",
        _("Label rate"),
        "ratio",
        _ratio(lambda s: decided(s).filter(state="labelled").count(), lambda s: decided(s).count()),
        decided,
        "projects",
    ),
    Indicator("projects_funded", _("Projects funded"), "count", _count(funded), funded, "projects"),
    Indicator(
        "funding_rate",
        _("Funding rate"),
        "ratio",
        _ratio(lambda s: funded(s).count(), lambda s: labelled(s).count()),
        funded,
        "projects",
    ),
    Indicator("investment_eur", _("Investment"), "eur", _investment, funded, "projects"),
    Indicator("public_aid_eur", _("Public aid"), "eur", _public_aid, funded, "projects"),
    Indicator(
        "leverage",
        _("Leverage (investment per euro of aid)"),
        "ratio",
        _ratio(_investment, _public_aid),
        funded,
        "projects",
    ),
    Indicator(
        "aid_by_funder", _("Public aid by funder"), "breakdown", _aid_by_funder, funded, "projects"
    ),
    Indicator(
        "patents",
        _("Patents filed"),
        "count",
        _count(_outcomes_of("patent")),
        _outcomes_of("patent"),
        "outcomes",
    ),
    Indicator(
        "clinical_trials",
        _("Clinical trials"),
        "count",
        _count(_outcomes_of("clinical_trial")),
        _outcomes_of("clinical_trial"),
        "outcomes",
    ),
    Indicator(
        "products_launched",
        _("Products launched"),
        "count",
        _count(_outcomes_of("product")),
        _outcomes_of("product"),
        "outcomes",
    ),
    Indicator(
        "jobs_created", _("Jobs created (FTE)"), "fte", _jobs, _outcomes_of("jobs"), "outcomes"
    ),
    Indicator(
        "startups_created",
        _("Start-ups created"),
        "count",
        _count(_outcomes_of("startup")),
        _outcomes_of("startup"),
        "outcomes",
    ),
    Indicator(
        "funding_raised_eur",
        _("Follow-on funding raised"),
        "eur",
        lambda s: outcomes(s, "funding_raised").aggregate(t=Sum("amount_eur"))["t"] or Decimal(0),
        _outcomes_of("funding_raised"),
        "outcomes",
    ),
    Indicator(
        "outcomes_validated",
        _("Outcomes validated (all kinds)"),
        "count",
        _count(outcomes),
        outcomes,
        "outcomes",
    ),
    Indicator(
        "outcomes_by_kind",
        _("Outcomes by kind (number declared)"),
        "breakdown",
        _outcomes_by_kind,
        _outcomes_counted,
        "outcomes",
    ),
    Indicator("members", _("Members"), "count", _count(members), members, "members"),
    Indicator(
        "sme_members", _("SME members"), "count", _count(sme_members), sme_members, "members"
    ),
    Indicator(
        "sme_share",
        _("SME share of members"),
        "ratio",
        _ratio(lambda s: sme_members(s).count(), lambda s: members(s).count()),
        sme_members,
        "members",
    ),
    Indicator(
        "shared_members",
        _("Members of two clusters or more"),
        "count",
        _count(shared_members),
        shared_members,
        "members",
    ),
    Indicator(
        "members_joined", _("Members who joined"), "count", _count(joined), joined, "members"
    ),
    Indicator("members_left", _("Members who left"), "count", _count(left), left, "members"),
    Indicator(
        "members_by_kind", _("Members by kind"), "breakdown", _members_by_kind, members, "members"
    ),
):
    if _indicator.name in PUBLIC_INDICATORS:
        _indicator = replace(_indicator, tags=_indicator.tags | {"public_records"})
    register(_indicator)


def _labelled_by_year(scope: Scope) -> dict[int, Value]:
    rows = labelled(scope).values(y=ExtractYear("label_date")).annotate(n=Count("pk"))
    return {r["y"]: r["n"] for r in rows.order_by()}


def _funded_by_year(scope: Scope) -> dict[int, Value]:
    rows = funded(scope).values(y=ExtractYear("label_date")).annotate(n=Count("pk"))
    return {r["y"]: r["n"] for r in rows.order_by()}


def _investment_by_year(scope: Scope) -> dict[int, Value]:
    rows = (
        Partner.objects.filter(application__in=funded(scope).values("pk"))
        .values(y=ExtractYear("application__label_date"))
        .annotate(s=Sum("budget_eur"))
    )
    return {r["y"]: r["s"] for r in rows.order_by()}


def _aid_by_year(scope: Scope) -> dict[int, Value]:
    lines = FundingLine.objects.filter(
        funding__status=FundingApplication.Status.GRANTED,
        funding__application__in=funded(scope).values("pk"),
    )
    if scope.funder:
        lines = lines.filter(funding__funder=scope.funder)
    rows = lines.values(y=ExtractYear("funding__application__label_date")).annotate(
        s=Sum("granted_eur")
    )
    return {r["y"]: r["s"] for r in rows.order_by()}


for _name, _by_year in (
    ("projects_labelled", _labelled_by_year),
    ("projects_funded", _funded_by_year),
    ("investment_eur", _investment_by_year),
    ("public_aid_eur", _aid_by_year),
):
    REGISTRY[_name] = dataclasses.replace(REGISTRY[_name], by_year=_by_year)


def _year_scope(scope: Scope, year: int) -> Scope:
    return dataclasses.replace(
        scope,
        start=max(scope.start, datetime.date(year, 1, 1)),
        end=min(scope.end, datetime.date(year, 12, 31)),
    )


def yearly(scope: Scope, name: str) -> list[tuple[int, Value]]:
    """The indicator for each calendar year of the scope's period (for charts): one grouped
    query when the indicator has ``by_year``, else one query per year."""
    indicator = REGISTRY[name]
    years = range(scope.start.year, scope.end.year + 1)
    if indicator.by_year is not None:
        zero: Value = Decimal(0) if indicator.unit == "eur" else 0
        values = indicator.by_year(scope)
        return [(year, values.get(year) or zero) for year in years]
    return [(year, indicator.value(_year_scope(scope, year))) for year in years]
