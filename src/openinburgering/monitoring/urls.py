from django.urls import path

from . import council_views, figure_views, views
from .cbs import views as cbs_views

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
    path("team/", figure_views.team_page, name="team"),
    path("kis/", figure_views.kis, name="kis"),
    path("kis.csv", figure_views.kis_csv, name="kis-csv"),
    path("team.csv", figure_views.team_csv, name="team-csv"),
    path("regio.csv", figure_views.regio_csv, name="regio-csv"),
    path("cbs/", cbs_views.delivery_page, name="cbs"),
    path("cbs/maken/", cbs_views.delivery_request, name="cbs-request"),
    path("cbs/<int:delivery_id>/download/", cbs_views.delivery_download, name="cbs-download"),
    path("raad/", council_views.council_list, name="council"),
    path("raad/<int:report_id>/", council_views.council_detail, name="council-detail"),
    path("raad/<int:report_id>/cijfers/", council_views.council_refresh, name="council-refresh"),
    path("raad/<int:report_id>/maken/", council_views.council_generate, name="council-generate"),
    path("raad/<int:report_id>/rapport.pdf", council_views.council_pdf, name="council-pdf"),
]
