from django.urls import include, path

from . import change_views, views

app_name = "clients"
urlpatterns = [
    path("", views.search, name="search"),
    path("caseload/", views.caseload, name="caseload"),
    path("team/", views.team_caseload, name="team-caseload"),
    path("team/toewijzen/", views.reassign, name="reassign"),
    path("vroege-start/", views.vroege_start, name="vroege-start"),
    path("aanmelden/", change_views.register, name="register"),
    path("<int:file_id>/", views.detail, name="detail"),
    path("<int:file_id>/notities/", change_views.add_note, name="add-note"),
    path("<int:file_id>/status/", change_views.change_status, name="change-status"),
    path("<int:file_id>/persoonsgegevens/", change_views.edit_person, name="edit-person"),
    path("<int:file_id>/gegevens/", change_views.edit_file, name="edit-file"),
    path("<int:file_id>/huishouden/", include("openinburgering.households.urls")),
]
