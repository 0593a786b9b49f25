from django.urls import URLPattern, path

from . import views

app_name = "signals"
urlpatterns: list[URLPattern] = [
    path("", views.inbox, name="inbox"),
    path("inlezen/", views.upload, name="upload"),
    path("quarantaine/", views.quarantine, name="quarantine"),
    path("quarantaine/wissen/", views.purge_all, name="purge-all"),
    path("dossiersignalen/", views.file_signals, name="file-signals"),
    path("dossiersignalen/<int:file_signal_id>/afhandelen/", views.resolve, name="resolve"),
    path("<int:signal_id>/", views.detail, name="detail"),
    path("<int:signal_id>/wissen/", views.purge_one, name="purge"),
]
