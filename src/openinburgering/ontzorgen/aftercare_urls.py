from django.urls import path

from . import aftercare_views

app_name = "ontzorgen-nazorg"
urlpatterns = [
    path("toeslagen/", aftercare_views.toeslagen_page, name="toeslagen"),
    path("loslaten/", aftercare_views.loslaten_page, name="loslaten"),
    path("loslaten/plan/", aftercare_views.plan, name="plan"),
    path("loslaten/stap/", aftercare_views.add_step, name="add-step"),
    path("loslaten/<int:step_id>/gedaan/", aftercare_views.step_done, name="step-done"),
    path("overzicht.pdf", aftercare_views.statement_pdf, name="statement"),
]
