"""Providers, contracts and enrolments for gemeente staff, mounted at /aanbieders/."""

from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("nieuw/", views.provider_edit, name="create"),
    path("<int:provider_id>/", views.provider_detail, name="detail"),
    path("<int:provider_id>/wijzigen/", views.provider_edit, name="edit"),
    path("<int:provider_id>/contracten/nieuw/", views.contract_edit, name="contract-create"),
    path("<int:provider_id>/contracten/<int:contract_id>/wijzigen/", views.contract_edit, name="contract-edit"),
    path("dossiers/<int:file_id>/plaatsen/", views.enrolment_create, name="enrolment-create"),
    path("dossiers/<int:file_id>/plaatsingen/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
]
