from django.urls import path

from clusterdesk.backoffice.support import cases, experts, pipeline, programmes

app_name = "support"

expert_edit = experts.ExpertEditView.as_view()
programme_edit = programmes.ProgrammeEditView.as_view()

urlpatterns = [
    path("", cases.CaseListView.as_view(), name="cases"),
    path("cases/new/", cases.CaseCreateView.as_view(), name="case_create"),
    path("cases/<int:case_id>/", cases.CaseView.as_view(), name="case"),
    path("cases/<int:case_id>/edit/", cases.CaseEditView.as_view(), name="case_edit"),
    path("cases/<int:case_id>/move/", cases.CaseMoveView.as_view(), name="case_move"),
    path("cases/<int:case_id>/status/", cases.CaseStatusView.as_view(), name="case_status"),
    path(
        "cases/<int:case_id>/actions/new/", cases.ActionCreateView.as_view(), name="action_create"
    ),
    path(
        "cases/<int:case_id>/outcomes/new/",
        cases.OutcomeCreateView.as_view(),
        name="outcome_create",
    ),
    path(
        "cases/<int:case_id>/missions/new/",
        cases.MissionCreateView.as_view(),
        name="mission_create",
    ),
    path("missions/", cases.MyMissionsView.as_view(), name="my_missions"),
    path("missions/conflicts/", cases.MyConflictsView.as_view(), name="my_conflicts"),
    path("missions/<int:pk>/report/", cases.MissionReportView.as_view(), name="mission_report"),
    path("experts/", experts.ExpertListView.as_view(), name="experts"),
    path("experts/new/", expert_edit, name="expert_create"),
    path("experts/<int:pk>/", experts.ExpertView.as_view(), name="expert"),
    path("experts/<int:pk>/edit/", expert_edit, name="expert_edit"),
    path(
        "experts/<int:pk>/agreement/",
        experts.ExpertAgreementView.as_view(),
        name="expert_agreement",
    ),
    path(
        "experts/<int:pk>/conflicts/", experts.ExpertConflictView.as_view(), name="expert_conflict"
    ),
    path("pipeline/", pipeline.PipelineView.as_view(), name="pipeline"),
    path("pipeline/figures/", pipeline.PipelineFiguresView.as_view(), name="pipeline_figures"),
    path("programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/new/", programme_edit, name="programme_create"),
    path("programmes/<int:pk>/edit/", programme_edit, name="programme_edit"),
]
