"""Work lists of zorg en netwerk, mounted at /netwerk/: referrals to follow up and the begeleider's caseload."""

from django.urls import path

from . import views

app_name = "netwerk-team"
urlpatterns = [
    path("opvolgen/", views.follow_up_queue, name="follow-up"),
    path("begeleiding/", views.begeleiding_caseload, name="begeleiding"),
]
