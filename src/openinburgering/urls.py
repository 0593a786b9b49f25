from django.urls import include, path

urlpatterns = [
    path("", include("openinburgering.core.urls")),
    path("account/", include("openinburgering.accounts.urls")),
    path("dossiers/", include("openinburgering.clients.urls")),
    path("api/v1/", include("openinburgering.api.urls")),
]
