"""The support services' rules: bad input refused by name, nothing half-written, every
change in the audit log."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import Conflict, NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.support.models import (
    CaseOutcome,
    ExpertConflict,
    Mission,
    StagePeriod,
    SupportCase,
)
from clusterdesk.support.services.cases import (
    case_action_add,
    case_outcome_record,
    support_case_create,
    support_case_move,
    support_case_rate,
    support_case_request,
    support_case_set_status,
)
from clusterdesk.support.services.experts import expert_conflict_declare, expert_save
from clusterdesk.support.services.missions import mission_create, mission_report
from clusterdesk.support.services.programmes import funding_programme_save
from tests.conftest import Tenant
from tests.factories import OrganisationFactory, application, follow
from tests.support.factories import case, case_with_expert, company, expert, mission_of

TODAY = timezone.localdate()


def _pm(t: Tenant):  # type: ignore[no-untyped-def]
    return t.people[Role.PROJECT_MANAGER]


def test_a_case_for_an_organisation_the_cluster_does_not_follow_is_refused(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        stranger = OrganisationFactory(name="Inconnue SA")
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        support_case_create(
            actor=_pm(tenant_a),
            cluster=tenant_a.cluster,
            organisation=stranger,
            title="Levée",
            need="fundraising",
            stage="idea",
        )
    assert "Inconnue SA" in str(error.value.message_dict["organisation"])
    with scopes_disabled():
        assert not SupportCase.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="support_case").exists()


def test_a_case_opens_in_its_stage_and_is_audited(tenant_a: Tenant) -> None:
    c = case(tenant_a, stage="clinical")
    with scopes_disabled():
        assert list(StagePeriod.objects.filter(case=c).values_list("stage", "left_on")) == [
            ("clinical", None)
        ]
        assert AuditEntry.objects.filter(
            action="support_case.created", object_id=str(c.pk)
        ).exists()


def test_only_the_support_staff_open_cases(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    for role in (Role.FINANCE, Role.EVENT_MANAGER, Role.EXPERT, Role.MEMBER):
        with scope(cluster=tenant_a.cluster), pytest.raises(NotAllowed):
            support_case_create(
                actor=tenant_a.people[role],
                cluster=tenant_a.cluster,
                organisation=org,
                title="x",
                need="ip",
                stage="idea",
            )


def test_the_owner_is_a_director_or_a_project_manager(tenant_a: Tenant) -> None:
    org = company(tenant_a)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        support_case_create(
            actor=_pm(tenant_a),
            cluster=tenant_a.cluster,
            organisation=org,
            title="x",
            need="ip",
            stage="idea",
            owner=tenant_a.people[Role.FINANCE],
        )
    assert "owner" in error.value.message_dict


def test_a_member_asks_for_support_only_for_its_own_company(tenant_a: Tenant) -> None:
    mine = company(tenant_a)
    with scopes_disabled():
        other = follow(tenant_a.cluster, OrganisationFactory(name="Voisine SAS"))
    member = tenant_a.people[Role.MEMBER]
    with scope(cluster=tenant_a.cluster):
        c = support_case_request(
            actor=member,
            cluster=tenant_a.cluster,
            organisation=mine,
            title="Besoin d'un partenaire industriel",
            need="partner_search",
            stage="proof_of_concept",
        )
        assert c.status == "requested" and c.requested_by == member
        with pytest.raises(ValidationError) as error:
            support_case_request(
                actor=member,
                cluster=tenant_a.cluster,
                organisation=other,
                title="x",
                need="ip",
                stage="idea",
            )
    assert "Voisine SAS" in str(error.value.message_dict["organisation"])


def test_moving_stages_keeps_the_history(tenant_a: Tenant) -> None:
    c = case(tenant_a, stage="idea", opened_on=TODAY - datetime.timedelta(days=100))
    with scope(cluster=tenant_a.cluster):
        support_case_move(
            actor=_pm(tenant_a),
            case=c,
            stage="proof_of_concept",
            on=TODAY - datetime.timedelta(days=40),
        )
        support_case_move(actor=_pm(tenant_a), case=c, stage="preclinical", on=TODAY)
        periods = list(
            StagePeriod.objects.filter(case=c).values_list("stage", "entered_on", "left_on")
        )
        with pytest.raises(ValidationError):
            support_case_move(
                actor=_pm(tenant_a), case=c, stage="clinical", on=TODAY - datetime.timedelta(days=1)
            )
    assert periods == [
        ("idea", TODAY - datetime.timedelta(days=100), TODAY - datetime.timedelta(days=40)),
        ("proof_of_concept", TODAY - datetime.timedelta(days=40), TODAY),
        ("preclinical", TODAY, None),
    ]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="support_case.stage_changed").count() == 2


def test_a_closed_case_does_not_move_and_closing_dates_it(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    with scope(cluster=tenant_a.cluster):
        support_case_set_status(actor=_pm(tenant_a), case=c, status="closed", on=TODAY)
        c.refresh_from_db()
        assert c.closed_on == TODAY
        with pytest.raises(ValidationError):
            support_case_move(actor=_pm(tenant_a), case=c, stage="market")
        support_case_set_status(actor=_pm(tenant_a), case=c, status="open")
        c.refresh_from_db()
        assert c.closed_on is None


def test_an_expert_with_a_conflict_on_the_company_gets_no_mission(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, user=tenant_a.people[Role.EXPERT])
    with scope(cluster=tenant_a.cluster):
        expert_conflict_declare(
            actor=tenant_a.people[Role.EXPERT],
            expert=e,
            organisation=c.organisation,
            reason="Ancien associé",
        )
        with pytest.raises(ValidationError) as error:
            mission_create(actor=_pm(tenant_a), case=c, expert=e, title="Audit")
        with pytest.raises(Conflict):
            expert_conflict_declare(
                actor=_pm(tenant_a), expert=e, organisation=c.organisation, reason="x"
            )
    message = str(error.value.message_dict["expert"])
    assert "conflict of interest" in message or "conflit" in message
    assert "Ancien associé" in message
    with scopes_disabled():
        assert not Mission.objects.exists()
        assert ExpertConflict.objects.get().source == "declared"


def test_an_expert_working_for_the_company_gets_no_mission(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, organisation=c.organisation)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        mission_create(actor=_pm(tenant_a), case=c, expert=e, title="Audit")
    assert c.organisation.name in str(error.value.message_dict["expert"])


@pytest.mark.parametrize("agreement_days", [None, -1])
def test_a_mission_needs_an_agreement_on_file_that_has_not_expired(
    agreement_days: int | None, tenant_a: Tenant
) -> None:
    c = case(tenant_a)
    e = expert(tenant_a, name="Dr Sans Accord", agreement_days=agreement_days)
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        mission_create(actor=_pm(tenant_a), case=c, expert=e, title="Audit")
    assert "Dr Sans Accord" in str(error.value.message_dict["expert"])
    with scopes_disabled():
        assert not Mission.objects.exists()
        assert not AuditEntry.objects.filter(action="support_case.mission_given").exists()


def test_negative_amounts_and_other_currencies_are_refused_by_name(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    e = expert(tenant_a)
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(ValidationError) as error:
            case_outcome_record(
                actor=_pm(tenant_a), case=c, kind="funds_raised", date=TODAY, amount_eur=-5
            )
        assert "amount_eur" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            case_outcome_record(
                actor=_pm(tenant_a),
                case=c,
                kind="funds_raised",
                date=TODAY,
                amount_eur=1000,
                currency="USD",
            )
        assert "USD" in str(error.value.message_dict["currency"])
        with pytest.raises(ValidationError) as error:
            mission_create(actor=_pm(tenant_a), case=c, expert=e, title="x", cost_eur=-1)
        assert "cost_eur" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            mission_create(actor=_pm(tenant_a), case=c, expert=e, title="x", hours=-2)
        assert "hours" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            expert_save(actor=_pm(tenant_a), cluster=tenant_a.cluster, name="X", daily_rate_eur=-3)
        assert "daily_rate_eur" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            funding_programme_save(
                actor=_pm(tenant_a),
                cluster=tenant_a.cluster,
                name="FUI",
                funder="fui",
                max_amount_eur=-1,
            )
        assert "max_amount_eur" in error.value.message_dict
    with scopes_disabled():
        assert not CaseOutcome.objects.exists() and not Mission.objects.exists()


def test_funds_raised_are_recorded_in_euros_and_audited_on_the_case(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    with scope(cluster=tenant_a.cluster):
        outcome = case_outcome_record(
            actor=_pm(tenant_a),
            case=c,
            kind="funds_raised",
            date=TODAY,
            amount_eur="1500000.00",
            funding_round="series_a",
            investors="Fonds Santé",
        )
    assert outcome.amount_eur == Decimal("1500000.00")
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="support_case.outcome_recorded")
    assert entry.object_id == str(c.pk)


def test_an_application_outcome_needs_the_company_in_its_consortium(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    with scopes_disabled():
        theirs = application(tenant_a.cluster, partners=((OrganisationFactory(), "coordinator"),))
        ours = application(tenant_a.cluster, partners=((c.organisation, "coordinator"),))
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(ValidationError) as error:
            case_outcome_record(
                actor=_pm(tenant_a),
                case=c,
                kind="application_submitted",
                date=TODAY,
                application=theirs,
            )
        assert "application" in error.value.message_dict
        outcome = case_outcome_record(
            actor=_pm(tenant_a), case=c, kind="application_submitted", date=TODAY, application=ours
        )
    assert outcome.application == ours


def test_an_introduction_names_a_followed_organisation(tenant_a: Tenant) -> None:
    c = case(tenant_a)
    with scopes_disabled():
        stranger = OrganisationFactory(name="Hors Réseau SA")
    with scope(cluster=tenant_a.cluster), pytest.raises(ValidationError) as error:
        case_action_add(
            actor=_pm(tenant_a),
            case=c,
            kind="introduction",
            subject="Mise en relation",
            introduced_to=stranger,
        )
    assert "Hors Réseau SA" in str(error.value.message_dict["introduced_to"])


def test_the_expert_reports_and_the_company_rates(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    mission = mission_of(c)
    with scope(cluster=tenant_a.cluster):
        mission_report(
            actor=tenant_a.people[Role.EXPERT],
            mission=mission,
            report="Dossier CE solide",
            hours=10,
        )
        with pytest.raises(NotAllowed):
            mission_report(actor=tenant_a.people[Role.FINANCE], mission=mission, report="x")
        with pytest.raises(ValidationError):
            support_case_rate(actor=tenant_a.people[Role.MEMBER], case=c, satisfaction=7)
        support_case_rate(
            actor=tenant_a.people[Role.MEMBER], case=c, satisfaction=5, comment="Merci"
        )
        with pytest.raises(NotVisible):
            support_case_rate(actor=tenant_a.people[Role.FINANCE], case=c, satisfaction=1)
        with pytest.raises(NotAllowed):
            support_case_rate(actor=_pm(tenant_a), case=c, satisfaction=1)
    mission.refresh_from_db()
    c.refresh_from_db()
    assert mission.status == "done" and mission.hours == 10
    assert c.satisfaction == 5
