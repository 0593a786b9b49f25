"""The provider portal, mounted at /portaal-aanbieder/."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.portal_index, name="index"),
    path("uploaden/", views.portal_upload, name="upload"),
    path("uploaden/voorbeeld.csv", views.portal_upload_template, name="upload_template"),
    path("plaatsingen/<int:enrolment_id>/", views.portal_enrolment, name="enrolment"),
    path("plaatsingen/<int:enrolment_id>/<str:action>/", views.portal_action, name="action"),
]
