from __future__ import annotations

from django.urls import include, path

from assessments import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "teams/<int:team_id>/cycles/<int:cycle_id>/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", views.assessment_resume, name="assessment_resume"),
    path(
        "assessments/<int:pk>/sections/<int:number>/",
        views.assessment_section,
        name="assessment_section",
    ),
    path("assessments/<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/results/", views.assessment_results, name="assessment_results"),
    path(
        "assessments/<int:pk>/action-plan/",
        views.action_plan_request,
        name="action_plan_request",
    ),
    path(
        "teams/<int:team_id>/cycles/<int:cycle_id>/result/", views.team_result, name="team_result"
    ),
    path(
        "teams/<int:team_id>/cycles/<int:cycle_id>/action-plan/",
        views.team_action_plan_request,
        name="team_action_plan_request",
    ),
    path("action-plans/<int:pk>/status/", views.action_plan_status, name="action_plan_status"),
    path(
        "action-plans/<int:pk>/download/", views.action_plan_download, name="action_plan_download"
    ),
    path("cycles/<int:pk>/overview/", views.cycle_overview, name="cycle_overview"),
    # Manager workflows, each in a module of its own.
    path("", include("assessments.cycle_urls")),
    path("", include("assessments.action_item_urls")),
    path("", include("assessments.export_urls")),
    path("", include("assessments.dashboard_urls")),
]
