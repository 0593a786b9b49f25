from django.urls import URLPattern, URLResolver, path

from . import login_views, oidc, section_views, views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inloggen/", login_views.LoginView.as_view(), name="login"),
    path("inloggen/code/", login_views.login_code, name="login-code"),
    path("inloggen/app-instellen/", login_views.login_enrol, name="login-enrol"),
    path("inloggen/sso/<str:gemeente_code>/", oidc.SsoStartView.as_view(), name="sso-start"),
    path("inloggen/sso-terug/", oidc.SsoCallbackView.as_view(), name="sso-callback"),
    path("herstelcodes/", login_views.recovery_codes, name="recovery-codes"),
    path("uitloggen/", login_views.logout_view, name="logout"),
    path("overal-uitloggen/", login_views.logout_everywhere, name="logout-everywhere"),
    path("sessie/", login_views.session_status, name="session-status"),
    path("inlogregels/", views.login_settings, name="login-settings"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("medewerkers/", views.staff_list, name="staff-list"),
    path("medewerkers/nieuw/", views.staff_create, name="staff-create"),
    path("medewerkers/<int:user_id>/", views.staff_detail, name="staff-detail"),
    path("medewerkers/<int:user_id>/rollen/<int:membership_id>/intrekken/", views.staff_revoke, name="staff-revoke"),
    path("medewerkers/<int:user_id>/deactiveren/", views.staff_deactivate, name="staff-deactivate"),
    path("medewerkers/<int:user_id>/wachtwoord/", views.staff_set_password, name="staff-set-password"),
    path(
        "medewerkers/<int:user_id>/tweestapsverificatie/wissen/",
        views.staff_reset_two_factor,
        name="staff-reset-two-factor",
    ),
    path("teams/", views.teams, name="teams"),
    path("auditlog/", views.audit_log, name="audit-log"),
    path("verwerkingsregister/", views.processing_register, name="processing-register"),
    path("toegang/", section_views.section_matrix, name="section-matrix"),
]
