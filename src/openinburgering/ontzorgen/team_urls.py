"""The financieel consulent's pages, included at /ontzorgen/ (namespace ontzorgen-team)."""

from django.urls import path

from . import views

app_name = "ontzorgen-team"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("betaalruns/", views.runs, name="runs"),
    path("betaalruns/<int:run_id>/", views.run_detail, name="run"),
    path("betaalruns/<int:run_id>/goedkeuren/", views.run_approve, name="approve"),
    path("betaalruns/<int:run_id>/bestand/", views.run_file, name="file"),
    path("rekening/", views.account, name="account"),
]
