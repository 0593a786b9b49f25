"""API routes of intakes, included in api/urls.py (names in the api namespace)."""

from django.urls import URLPattern, path

from . import api

C = "clients/<int:client_id>"

urlpatterns: list[URLPattern] = [
    path(f"{C}/intake-calls", api.IntakeCallsView.as_view(), name="intake-calls"),
    path(f"{C}/intake-calls/<int:call_id>/outcome", api.IntakeCallOutcomeView.as_view(), name="intake-call-outcome"),
    path(f"{C}/intake-next-step", api.IntakeNextStepView.as_view(), name="intake-next-step"),
    path(f"{C}/intakes", api.IntakesView.as_view(), name="intakes"),
    path(f"{C}/intakes/<int:intake_id>", api.IntakeView.as_view(), name="intake"),
    path(
        f"{C}/intakes/<int:intake_id>/leefgebieden/<str:code>", api.LeefgebiedView.as_view(), name="intake-leefgebied"
    ),
    path(f"{C}/intakes/<int:intake_id>/complete", api.IntakeCompleteView.as_view(), name="intake-complete"),
    path(f"{C}/lbt", api.LbtView.as_view(), name="intake-lbt"),
    path(f"{C}/lbt/<int:lbt_id>/result", api.LbtResultView.as_view(), name="intake-lbt-result"),
    path(f"{C}/route-advice", api.RouteAdviceView.as_view(), name="intake-route-advice"),
]
