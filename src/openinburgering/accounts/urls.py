from django.urls import URLPattern, URLResolver, path

from . import section_views, views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("medewerkers/", views.staff_list, name="staff-list"),
    path("medewerkers/nieuw/", views.staff_create, name="staff-create"),
    path("medewerkers/<int:user_id>/", views.staff_detail, name="staff-detail"),
    path("medewerkers/<int:user_id>/rollen/<int:membership_id>/intrekken/", views.staff_revoke, name="staff-revoke"),
    path("medewerkers/<int:user_id>/deactiveren/", views.staff_deactivate, name="staff-deactivate"),
    path("medewerkers/<int:user_id>/wachtwoord/", views.staff_set_password, name="staff-set-password"),
    path("teams/", views.teams, name="teams"),
    path("auditlog/", views.audit_log, name="audit-log"),
    path("verwerkingsregister/", views.processing_register, name="processing-register"),
    path("toegang/", section_views.section_matrix, name="section-matrix"),
]
