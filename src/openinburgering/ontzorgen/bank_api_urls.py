from django.urls import path

from . import bank_api

urlpatterns = [
    path("ontzorgen/bank-statements", bank_api.BankStatementsView.as_view(), name="ontzorgen-bank-statements"),
    path(
        "ontzorgen/bank-statements/<int:statement_id>/lines",
        bank_api.BankStatementLinesView.as_view(),
        name="ontzorgen-bank-statement-lines",
    ),
    path("ontzorgen/bank-worklist", bank_api.BankWorklistView.as_view(), name="ontzorgen-bank-worklist"),
    path(
        "ontzorgen/statement-lines/<int:line_id>/resolve",
        bank_api.StatementLineResolveView.as_view(),
        name="ontzorgen-statement-line-resolve",
    ),
    path("clients/<int:client_id>/toeslagen", bank_api.ToeslagenView.as_view(), name="toeslagen"),
    path("clients/<int:client_id>/loslaten", bank_api.LoslatenView.as_view(), name="loslaten"),
    path("clients/<int:client_id>/loslaten/steps", bank_api.LoslatenStepsView.as_view(), name="loslaten-steps"),
    path(
        "clients/<int:client_id>/loslaten/steps/<int:step_id>/done",
        bank_api.LoslatenStepDoneView.as_view(),
        name="loslaten-step-done",
    ),
    path(
        "clients/<int:client_id>/ontzorgen/statement",
        bank_api.ClientStatementPdfView.as_view(),
        name="ontzorgen-client-statement",
    ),
]
