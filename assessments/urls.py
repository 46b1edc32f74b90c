from __future__ import annotations

from django.urls import path

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
]
