from __future__ import annotations

from django.urls import path

from results import views

urlpatterns = [
    path("cycles/<int:pk>/overview/", views.cycle_overview, name="cycle_overview"),
]
