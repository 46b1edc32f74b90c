from __future__ import annotations

from django.urls import path

from action_items import views

urlpatterns = [
    path(
        "assessments/<int:pk>/action-items/new/",
        views.action_item_create,
        name="action_item_create",
    ),
    path(
        "teams/<int:pk>/cycles/<int:cycle_id>/action-items/new/",
        views.team_action_item_create,
        name="team_action_item_create",
    ),
    path("teams/<int:pk>/action-items/", views.team_action_items, name="team_action_items"),
    path(
        "teams/<int:pk>/cycles/<int:cycle_id>/action-items/carry-over/",
        views.action_item_carry_over,
        name="action_item_carry_over",
    ),
    path(
        "organisations/<int:pk>/action-items/",
        views.organisation_action_items,
        name="organisation_action_items",
    ),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
]
