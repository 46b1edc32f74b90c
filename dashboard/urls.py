from __future__ import annotations

from django.urls import path

from dashboard import views as dashboard_views

urlpatterns = [
    path("organisations/<int:pk>/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "cycles/<int:pk>/dashboard/teams.csv",
        dashboard_views.dashboard_teams_csv,
        name="dashboard_teams_csv",
    ),
    path(
        "cycles/<int:pk>/action-plan/",
        dashboard_views.organisation_action_plan_request,
        name="organisation_action_plan_request",
    ),
]
