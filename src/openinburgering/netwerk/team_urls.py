"""Work lists of zorg en netwerk, mounted at /netwerk/: referrals to follow up and the begeleider's caseload."""

from django.urls import path

from . import team_views

app_name = "netwerk-team"
urlpatterns = [
    path("opvolgen/", team_views.follow_up_queue, name="follow-up"),
    path("begeleiding/", team_views.begeleiding_caseload, name="begeleiding"),
]
