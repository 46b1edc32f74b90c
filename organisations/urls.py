"""Manager workflows: an organisation's cycles and invitations, and the invitation link."""

from __future__ import annotations

from django.urls import path

from organisations import views

urlpatterns = [
    path("organisations/<int:pk>/cycles/", views.cycle_list, name="cycle_list"),
    path("organisations/<int:pk>/cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
    path("cycles/<int:pk>/open-now/", views.cycle_open_early, name="cycle_open_early"),
    path("organisations/<int:pk>/teams/", views.team_list, name="team_list"),
    path(
        "organisations/<int:pk>/teams/<int:team_pk>/rename/",
        views.team_rename,
        name="team_rename",
    ),
    path(
        "organisations/<int:pk>/leads/<int:membership_pk>/remove/",
        views.lead_remove,
        name="lead_remove",
    ),
    path("organisations/<int:pk>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<slug:token>/", views.invitation_accept, name="invitation_accept"),
]
