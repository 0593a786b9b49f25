from django.urls import path

from . import bank_views

app_name = "ontzorgen-bank"
urlpatterns = [
    path("afschriften/", bank_views.statements, name="statements"),
    path("afschriften/<int:statement_id>/", bank_views.statement_detail, name="statement"),
    path("werklijst/", bank_views.worklist, name="worklist"),
    path("regels/<int:line_id>/afhandelen/", bank_views.resolve, name="resolve"),
]
