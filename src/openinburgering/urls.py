from django.urls import include, path

urlpatterns = [
    path("", include("openinburgering.home.urls")),
    path("account/", include("openinburgering.accounts.urls")),
    # Per-file parts owned by their own apps (namespaces letters:, intakes:, plans:; views get file_id).
    path("dossiers/<int:file_id>/brieven/", include("openinburgering.letters.urls")),
    path("dossiers/<int:file_id>/intake/", include("openinburgering.intakes.urls")),
    path("dossiers/<int:file_id>/pip/", include("openinburgering.plans.urls")),
    path("dossiers/<int:file_id>/handhaving/", include("openinburgering.handhaving.urls")),
    path("dossiers/<int:file_id>/voortgang/", include("openinburgering.progress.urls")),
    path("dossiers/<int:file_id>/vervolg/", include("openinburgering.followup.urls")),
    path("dossiers/<int:file_id>/portaal/", include("openinburgering.mijn.staff_urls")),
    path("dossiers/<int:file_id>/ontzorgen/", include("openinburgering.ontzorgen.urls")),
    path("dossiers/<int:file_id>/netwerk/", include("openinburgering.netwerk.urls")),
    path("dossiers/<int:file_id>/contactgegevens/", include("openinburgering.interop.file_urls")),
    path("dossiers/<int:file_id>/ontzorgen/", include("openinburgering.ontzorgen.aftercare_urls")),
    path("instellingen/voortgang/", include("openinburgering.progress.settings_urls")),
    path("instellingen/brieven/", include("openinburgering.letters.settings_urls")),
    path("brieven/", include("openinburgering.letters.sending_urls")),
    path("instellingen/portaal/", include("openinburgering.mijn.settings_urls")),
    # The client portal (#15): Mijn Inburgering, with DigiD.
    path("mijn/", include("openinburgering.mijn.urls")),
    path("dossiers/", include("openinburgering.clients.urls")),
    path("signalen/", include("openinburgering.signals.urls")),
    path("aanbieders/", include("openinburgering.providers.urls")),
    path("portaal-aanbieder/", include("openinburgering.providers.portal_urls")),
    path("pip/", include("openinburgering.plans.team_urls")),
    path("boetes/", include("openinburgering.handhaving.team_urls")),
    path("monitoring/", include("openinburgering.monitoring.urls")),
    path("bewaartermijnen/", include("openinburgering.retention.urls")),
    path("koppelingen/", include("openinburgering.interop.urls")),
    # DUO's Notificatie API (#17), called by DUO over mutual TLS (interop.duo_notificaties).
    path("duo/v1/", include("openinburgering.interop.duo_urls")),
    path("taken/", include("openinburgering.operations.urls")),
    path("ontzorgen/bank/", include("openinburgering.ontzorgen.bank_urls")),
    path("ontzorgen/", include("openinburgering.ontzorgen.team_urls")),
    path("sociale-kaart/", include("openinburgering.netwerk.kaart_urls")),
    path("verwijzingen/", include("openinburgering.netwerk.partner_urls")),
    path("netwerk/", include("openinburgering.netwerk.team_urls")),
    path("api/v1/signals/", include("openinburgering.signals.api_urls")),
    path("api/v1/", include("openinburgering.api.urls")),
]

handler400 = "openinburgering.core.views.bad_request"
handler403 = "openinburgering.core.views.permission_denied"
handler404 = "openinburgering.core.views.page_not_found"
handler500 = "openinburgering.core.views.server_error"
