from __future__ import annotations

from django.urls import path

from reports import views

urlpatterns = [
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
]
