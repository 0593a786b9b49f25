from django.urls import path

from . import figure_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/contracten.csv", views.export_contracts, name="export-contracts"),
    path("export/cohorten.csv", views.export_cohorts, name="export-cohorts"),
    path("lesbezoeken/nieuw/", views.lesson_visit_create, name="lesson-visit-create"),
    path("tevredenheid/nieuw/", views.survey_create, name="survey-create"),
    path("gemeente/", figure_views.gemeente, name="gemeente"),
    path("gemeente/<slug:key>.csv", figure_views.gemeente_csv, name="gemeente-csv"),
    path("regio/", figure_views.regio, name="regio"),
    path("regio.csv", figure_views.regio_csv, name="regio-csv"),
]
