from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import (
    Application,
    CommitteeSession,
    Criterion,
    ExpertProfile,
    FundingApplication,
    ReviewAssignment,
)
from clusterdesk.projects.selectors.applications import (
    application_totals,
    applications_visible_to,
)
from clusterdesk.projects.selectors.reviews import conflicts_of, review_progress
from clusterdesk.projects.services.funding import funding_save
from clusterdesk.projects.services.reviews import (
    assignment_declare_no_conflict,
    assignment_propose,
    assignment_set,
    conflict_record,
    review_remind,
    review_save,
)
from clusterdesk.projects.services.workflow import application_transition
from tests.conftest import Tenant
from tests.factories import ContactFactory, OrganisationFactory, UserFactory, application, grant

S = Application.State


@pytest.fixture
def consortium(tenant_a: Tenant) -> dict[str, object]:
    with scopes_disabled():
        sme = OrganisationFactory(name="PME Diag", kind="pme", headcount_band="12")
        lab = OrganisationFactory(name="Labo Infectio", kind="research_org")
        big = OrganisationFactory(name="Grand Groupe", kind="large_company", headcount_band="53")
        app = application(tenant_a.cluster, partners=((sme, "coordinator"), (lab, "partner")))
    return {"app": app, "sme": sme, "lab": lab, "big": big}


def move(tenant: Tenant, app: Application, to: str, **kw: object) -> Application:
    with scope(cluster=tenant.cluster):
        return application_transition(actor=tenant.director, application=app, to=to, **kw)


def test_totals_are_derived_from_the_consortium(tenant_a: Tenant, consortium: dict) -> None:
    with scope(cluster=tenant_a.cluster):
        totals = application_totals(consortium["app"])
    assert totals["budget"] == 2_000_000 and totals["requested"] == 800_000


def test_the_whole_workflow_to_a_label(
    tenant_a: Tenant, consortium: dict, django_capture_on_commit_callbacks: object
) -> None:
    app = consortium["app"]
    coordinator = UserFactory()
    with scopes_disabled():
        contact = ContactFactory(
            cluster=tenant_a.cluster, organisation=consortium["sme"], user=coordinator
        )
        expert_user = tenant_a.people[Role.EXPERT]
        expert = ExpertProfile.objects.create(cluster=tenant_a.cluster, user=expert_user)
        session = CommitteeSession.objects.create(
            cluster=tenant_a.cluster, title="Comité", date="2026-03-01"
        )
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with capture:
        move(tenant_a, app, S.SUBMITTED)
    assert mail.outbox[0].to == [contact.email]
    move(tenant_a, app, S.ELIGIBLE)
    with scope(cluster=tenant_a.cluster):
        assignment_set(actor=tenant_a.director, application=app, expert=expert)
    move(tenant_a, app, S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        move(tenant_a, app, S.AT_COMMITTEE)  # no session chosen
    move(tenant_a, app, S.AT_COMMITTEE, session=session)
    with pytest.raises(ValidationError):
        move(tenant_a, app, S.LABELLED)  # no motivation
    app = move(tenant_a, app, S.LABELLED, reason="Projet structurant pour la filière.")
    assert app.label_number.endswith("-2026-001") and app.label_code
    assert str(app.label_date) == "2026-03-01"
    with scopes_disabled():
        actions = list(
            AuditEntry.objects.filter(action__startswith="application.").values_list(
                "action", flat=True
            )
        )
    assert {
        "application.submitted",
        "application.eligible",
        "application.under_review",
        "application.at_committee",
        "application.labelled",
    } <= set(actions)


@pytest.mark.parametrize(
    "start,target",
    [
        (S.DRAFT, S.LABELLED),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.LABELLED, S.WITHDRAWN),
        (S.NOT_LABELLED, S.SUBMITTED),
        (S.WITHDRAWN, S.DRAFT),
    ],
)
def test_forbidden_transitions_change_nothing(
    tenant_a: Tenant, consortium: dict, start: str, target: str
) -> None:
    app = consortium["app"]
    Application.objects.with_scopes_disabled().filter(pk=app.pk).update(state=start)
    with pytest.raises(ValidationError):
        move(tenant_a, app, target, reason="x")
    app.refresh_from_db()
    assert app.state == start


def test_eligibility_rules_name_each_problem(tenant_a: Tenant, consortium: dict) -> None:
    with scopes_disabled():
        app = application(
            tenant_a.cluster, state="submitted", partners=((consortium["big"], "coordinator"),)
        )
    with pytest.raises(ValidationError) as error:
        move(tenant_a, app, S.ELIGIBLE)
    text = " ".join(error.value.messages)
    assert ("2" in text and "SME" in text) or "PME" in text
    move(tenant_a, app, S.INELIGIBLE, reason="Pas de PME dans le consortium.")


def test_withdrawal_is_possible_until_the_decision(tenant_a: Tenant, consortium: dict) -> None:
    app = move(tenant_a, consortium["app"], S.WITHDRAWN)
    assert app.state == S.WITHDRAWN


def test_visibility_staff_consortium_cleared_reviewer_and_committee_only(
    tenant_a: Tenant, consortium: dict
) -> None:
    app = consortium["app"]
    member_of_consortium = tenant_a.people[Role.MEMBER]
    other_member = grant(UserFactory(), tenant_a.cluster, Role.MEMBER)
    with scopes_disabled():
        ContactFactory(
            cluster=tenant_a.cluster, organisation=consortium["sme"], user=member_of_consortium
        )
        ContactFactory(cluster=tenant_a.cluster, organisation=consortium["big"], user=other_member)
        expert = ExpertProfile.objects.create(
            cluster=tenant_a.cluster, user=tenant_a.people[Role.EXPERT]
        )
        assignment = ReviewAssignment.objects.create(
            cluster=tenant_a.cluster, application=app, expert=expert
        )
        session = CommitteeSession.objects.create(
            cluster=tenant_a.cluster, title="C", date="2026-03-01"
        )
        session.members.add(tenant_a.people[Role.COMMITTEE_MEMBER])

    def sees(user: object) -> tuple[bool, bool]:
        with scope(cluster=tenant_a.cluster):
            listed = (
                applications_visible_to(user=user, cluster=tenant_a.cluster)
                .filter(pk=app.pk)
                .exists()
            )
            return user.has_perm("projects.view_application", app), listed  # type: ignore[attr-defined]

    assert sees(tenant_a.director) == (True, True)
    assert sees(tenant_a.people[Role.PROJECT_MANAGER]) == (True, True)
    assert sees(member_of_consortium) == (True, True)
    for role in (
        Role.EVENT_MANAGER,
        Role.FACILITY_MANAGER,
        Role.FINANCE,
        Role.EXPERT,
        Role.COMMITTEE_MEMBER,
    ):
        assert sees(tenant_a.people[role]) == (False, False), role
    assert sees(other_member) == (False, False)  # a member of the same cluster
    assignment.no_conflict_declared_at = "2026-01-01T00:00Z"
    assignment.save()
    assert sees(tenant_a.people[Role.EXPERT]) == (True, True)
    Application.objects.with_scopes_disabled().filter(pk=app.pk).update(committee_session=session)
    app.refresh_from_db()
    assert sees(tenant_a.people[Role.COMMITTEE_MEMBER]) == (True, True)


def test_conflicts_with_their_reasons(tenant_a: Tenant, consortium: dict) -> None:
    with scopes_disabled():
        same_org = ExpertProfile.objects.create(
            cluster=tenant_a.cluster, user=UserFactory(), organisation=consortium["lab"]
        )
        partner_before_org = OrganisationFactory(name="Ancien partenaire")
        application(
            tenant_a.cluster,
            partners=((partner_before_org, "coordinator"), (consortium["sme"], "partner")),
        )
        recent = ExpertProfile.objects.create(
            cluster=tenant_a.cluster, user=UserFactory(), organisation=partner_before_org
        )
        free = ExpertProfile.objects.create(cluster=tenant_a.cluster, user=UserFactory())
    with scope(cluster=tenant_a.cluster):
        found = {
            c.expert_id: c.reason
            for c in conflicts_of(call=consortium["app"].call)
            if c.application_id == consortium["app"].pk
        }
        conflict_record(
            actor=tenant_a.director,
            application=consortium["app"],
            expert=free,
            reason="Ancien salarié",
            source="staff",
        )
        found_after = {c.expert_id for c in conflicts_of(call=consortium["app"].call)}
    assert "Labo Infectio" in found[same_org.pk]
    assert recent.pk in found
    assert free.pk not in found and free.pk in found_after


def test_assignment_proposal_respects_conflicts_loads_and_kept_pairs(
    tenant_a: Tenant, consortium: dict
) -> None:
    call = consortium["app"].call
    with scopes_disabled():
        call.reviewers_per_application = 2
        call.save()
        others = [
            application(
                tenant_a.cluster,
                call,
                state="eligible",
                acronym=f"P{n}",
                partners=((OrganisationFactory(), "coordinator"),),
            )
            for n in range(2)
        ]
        Application.objects.filter(pk=consortium["app"].pk).update(state="eligible")
        conflicted = ExpertProfile.objects.create(
            cluster=tenant_a.cluster,
            user=UserFactory(),
            organisation=consortium["lab"],
            competences="diagnostic infections",
            max_load=3,
        )
        experts = [
            ExpertProfile.objects.create(
                cluster=tenant_a.cluster, user=UserFactory(), competences=c, max_load=2
            )
            for c in ("diagnostic rapide des infections", "oncologie", "vaccins")
        ]
        kept = ReviewAssignment.objects.create(
            cluster=tenant_a.cluster, application=others[0], expert=experts[2], locked=True
        )
    with scope(cluster=tenant_a.cluster):
        summary = assignment_propose(actor=tenant_a.director, call=call)
        pairs = set(ReviewAssignment.objects.values_list("application_id", "expert_id"))
        loads = {e.pk: ReviewAssignment.objects.filter(expert=e).count() for e in experts}
    assert (consortium["app"].pk, conflicted.pk) not in pairs
    assert (kept.application_id, kept.expert_id) in pairs
    assert summary["assigned"] == 6 and not summary["unfilled"]
    assert all(load <= 2 for load in loads.values())
    assert (consortium["app"].pk, experts[0].pk) in pairs  # the best affinity


def test_review_requires_declaration_then_scores_within_the_scale(
    tenant_a: Tenant, consortium: dict
) -> None:
    app = consortium["app"]
    expert_user = tenant_a.people[Role.EXPERT]
    with scopes_disabled():
        Application.objects.filter(pk=app.pk).update(state="under_review")
        c1 = Criterion.objects.create(
            cluster=tenant_a.cluster, call=app.call, name="Innovation", weight=2
        )
        c2 = Criterion.objects.create(
            cluster=tenant_a.cluster, call=app.call, name="Marché", weight=1
        )
        expert = ExpertProfile.objects.create(cluster=tenant_a.cluster, user=expert_user)
        assignment = ReviewAssignment.objects.create(
            cluster=tenant_a.cluster, application=app, expert=expert
        )
    app.refresh_from_db()
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(ValidationError):
            review_save(
                actor=expert_user,
                assignment=assignment,
                scores={c1.pk: 4},
                comments="",
                recommendation="label",
                submit=False,
            )
        assignment_declare_no_conflict(actor=expert_user, assignment=assignment)
        assignment.refresh_from_db()
        with pytest.raises(ValidationError):
            review_save(
                actor=expert_user,
                assignment=assignment,
                scores={c1.pk: 9, c2.pk: 3},
                comments="",
                recommendation="label",
                submit=True,
            )
        with pytest.raises(ValidationError):  # a criterion missing
            review_save(
                actor=expert_user,
                assignment=assignment,
                scores={c1.pk: 4},
                comments="",
                recommendation="label",
                submit=True,
            )
        review_save(
            actor=expert_user,
            assignment=assignment,
            scores={c1.pk: 4, c2.pk: 1},
            comments="Solide",
            recommendation="label",
            submit=True,
        )
        progress = review_progress(call=app.call)[0]
    assert (progress.assigned, progress.cleared, progress.submitted) == (1, 1, 1)
    assert progress.average == pytest.approx(3.0)  # (2*4 + 1*1) / 3


def test_funding_is_recorded_per_partner_and_totals_derive(
    tenant_a: Tenant, consortium: dict
) -> None:
    app = consortium["app"]
    with scopes_disabled():
        Application.objects.filter(pk=app.pk).update(state="labelled")
        partners = {p.organisation_id: p.pk for p in app.partners.all()}
    app.refresh_from_db()
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(ValidationError):  # granted without a decision date
            funding_save(
                actor=tenant_a.director,
                application=app,
                funding=None,
                lines={},
                funder="fui",
                status="granted",
            )
        funding_save(
            actor=tenant_a.director,
            application=app,
            funding=None,
            funder="fui",
            programme="FUI 14",
            status="granted",
            decided_on="2014-06-01",
            lines={
                partners[consortium["sme"].pk]: (400_000, 300_000),
                partners[consortium["lab"].pk]: (400_000, 250_000),
            },
        )
        totals = application_totals(app)
    assert totals["granted"] == 550_000
    assert FundingApplication.objects.with_scopes_disabled().get().status == "granted"


def test_contact_of_a_partner_in_another_cluster_sees_nothing(
    tenant_a: Tenant, tenant_b: Tenant, consortium: dict
) -> None:
    """Speaking for the coordinator in cluster B gives no sight of cluster A's file."""
    person = tenant_b.people[Role.MEMBER]
    with scopes_disabled():
        ContactFactory(cluster=tenant_b.cluster, organisation=consortium["sme"], user=person)
        grant(person, tenant_a.cluster, Role.MEMBER)
    with scope(cluster=tenant_a.cluster):
        assert not person.has_perm("projects.view_application", consortium["app"])
        assert not applications_visible_to(user=person, cluster=tenant_a.cluster).exists()


def test_reminders_go_to_experts_whose_review_is_not_submitted(
    tenant_a: Tenant, consortium: dict, django_capture_on_commit_callbacks: object
) -> None:
    app = consortium["app"]
    with scopes_disabled():
        Application.objects.filter(pk=app.pk).update(state="under_review")
        late = ExpertProfile.objects.create(
            cluster=tenant_a.cluster, user=tenant_a.people[Role.EXPERT]
        )
        done = ExpertProfile.objects.create(cluster=tenant_a.cluster, user=UserFactory())
        ReviewAssignment.objects.create(cluster=tenant_a.cluster, application=app, expert=late)
        finished = ReviewAssignment.objects.create(
            cluster=tenant_a.cluster, application=app, expert=done
        )
        from clusterdesk.projects.models import Review

        Review.objects.create(
            cluster=tenant_a.cluster, assignment=finished, submitted_at="2026-01-01T00:00Z"
        )
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with scope(cluster=tenant_a.cluster), capture:
        assert review_remind(actor=tenant_a.director, call=app.call) == 1
    assert [m.to for m in mail.outbox] == [[tenant_a.people[Role.EXPERT].email]]
    assert app.acronym in mail.outbox[0].body
