"""Ontzorgen pages of one client file, included at /dossiers/<int:file_id>/ontzorgen/ (views get file_id)."""

from django.urls import path

from . import reclaim_views, views

app_name = "ontzorgen"
urlpatterns = [
    path("", views.index, name="index"),
    path("periode/", views.record, name="record"),
    path("verlengen/", views.extend, name="extend"),
    path("machtiging/", views.machtiging, name="machtiging"),
    path("vaste-lasten/nieuw/", views.obligation_new, name="obligation-new"),
    path("vaste-lasten/<int:obligation_id>/", views.obligation_edit, name="obligation-edit"),
    path("terugvorderen/<int:obligation_id>/", reclaim_views.settle, name="reclaim-settle"),
]
