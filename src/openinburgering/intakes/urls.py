"""Intake pages, included at /dossiers/<int:file_id>/intake/ (namespace intakes:; views get file_id)."""

from django.urls import path

from . import views

app_name = "intakes"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("oproepen/nieuw/", views.call_plan, name="call-plan"),
    path("oproepen/<int:call_id>/uitkomst/", views.call_outcome, name="call-outcome"),
    path("oproepen/brief-zonder-persoon/", views.absence_letter, name="absence-letter"),
    path("intakes/nieuw/", views.intake_start, name="intake-start"),
    path("intakes/<int:intake_id>/", views.intake_detail, name="intake-detail"),
    path("intakes/<int:intake_id>/afronden/", views.intake_complete, name="intake-complete"),
    path("intakes/<int:intake_id>/<slug:code>/", views.leefgebied, name="leefgebied"),
    path("toets/nieuw/", views.lbt_plan, name="lbt-plan"),
    path("toets/<int:lbt_id>/uitslag/", views.lbt_result, name="lbt-result"),
    path("route/", views.route, name="route"),
]
