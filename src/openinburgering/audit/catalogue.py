"""Every audit event type, with what it means. `docs/reference/audit-events.md` is generated from this
table (`python -m django audit_catalogue`), and a test keeps the two the same."""

from __future__ import annotations

from typing import NamedTuple


class EventType(NamedTuple):
    code: str
    kind: str  # "read", "change", "security", "export"
    description: str


EVENT_TYPES: tuple[EventType, ...] = (
    # Reads of personal data
    EventType("client_file_viewed", "read", "A client file page was opened (UI)."),
    EventType("client_file_read", "read", "A client file was read through the API."),
    EventType("household_viewed", "read", "The household of a client file was shown."),
    EventType("consents_viewed", "read", "The consent register of a client file was shown (API)."),
    EventType("person_search_performed", "read", "A person search ran; the subject holds the number of results."),
    EventType("caseload_viewed", "read", "A caseload worklist (own or team) was shown."),
    EventType("status_history_read", "read", "The status history of a client file was read through the API."),
    EventType("notes_read", "read", "The notes of a client file were read through the API."),
    EventType("timeline_read", "read", "The timeline of a client file was read through the API."),
    EventType(
        "verwerkingen_exported",
        "export",
        "A file's processing actions were exported as VNG Verwerkingenlogging acties.",
    ),
    EventType("file_audit_viewed", "read", "Someone looked at who viewed a client file."),
    EventType("gemeente_audit_viewed", "read", "The audit log of the gemeente was reviewed."),
    EventType("letter_read", "read", "A letter (PDF) of a client file was opened."),
    EventType("letters_listed", "read", "The list of letters of a client file was read through the API."),
    # -- intakes: reads (oproepen, brede intake, leerbaarheidstoets, route advice)
    EventType("intake_overview_viewed", "read", "The oproepen, intakes, toetsen and route advice were shown."),
    EventType("intake_form_viewed", "read", "A form page of the intake (oproep, leefgebied, toets, route) was opened."),
    EventType("intake_viewed", "read", "One brede intake with its leefgebieden was read (UI or API)."),
    EventType("intake_calls_read", "read", "The oproepen of a client file were read through the API."),
    EventType("intake_next_step_read", "read", "The next step after the oproepen was read through the API."),
    EventType("intakes_listed", "read", "The brede intakes of a client file were listed through the API."),
    EventType("lbt_tests_read", "read", "The leerbaarheidstoetsen of a client file were read through the API."),
    EventType("route_advice_read", "read", "The route advice (current and chosen) of a client file was read (API)."),
    # -- plans: reads (PIP versions, bezwaren, voortgangsgesprekken)
    # -- providers: reads
    EventType("provider_enrolments_viewed", "read", "A provider's list of enrolled clients was shown; one per client."),
    EventType("provider_enrolments_read", "read", "A provider read its enrolled clients via the API; one per client."),
    EventType("provider_enrolment_viewed", "read", "One enrolment with its reports was shown (portal or file)."),
    EventType("enrolment_form_viewed", "read", "The form to place a client with a provider was shown (UI)."),
    # -- monitoring: reads and exports (aggregated figures, no individual client data)
    EventType("monitoring_dashboard_viewed", "read", "The contract dashboard or cohort table was shown (UI or API)."),
    EventType("monitoring_exported", "export", "The contract dashboard or cohort table was exported as CSV."),
    # -- handhaving: reads
    EventType("handhaving_viewed", "read", "Boetevoorstellen, besluiten and voldaan of a client file were shown (UI)."),
    EventType("fines_read", "read", "Boetevoorstellen, besluiten or bezwaren of a client file were read (API)."),
    EventType("fine_queue_viewed", "read", "A teamleider's queue of boetevoorstellen to decide was shown (UI or API)."),
    EventType("voldaan_read", "read", "The achievements, voldaan and extension check of a file were read (API)."),
    EventType("pip_viewed", "read", "The PIP versions of a client file, or one version, were shown (UI)."),
    EventType("pip_read", "read", "The PIP versions of a client file, or one version, were read through the API."),
    EventType("pip_approvals_viewed", "read", "A teamleider's queue of PIP versions to approve was shown."),
    EventType("bezwaren_read", "read", "The bezwaren against a PIP version were read through the API."),
    EventType("progress_talks_read", "read", "The voortgangsgesprekken of a client file were read through the API."),
    # -- progress: reads
    EventType("progress_viewed", "read", "The voortgang page of a client file (hours, attendance, voldaan) was shown."),
    EventType("progress_read", "read", "The voortgang figures of a client file were read through the API."),
    EventType("low_attendance_listed", "read", "The files under the attendance threshold were listed (count only)."),
    # -- followup: reads
    EventType("followup_viewed", "read", "The vervolg page of a client file (situation after the plicht) was shown."),
    EventType("followup_read", "read", "The follow-up contacts of a client file were read through the API."),
    # Changes
    EventType("client_file_registered", "change", "A new client file (aanmelding) was opened for a person."),
    EventType("person_updated", "change", "Personal or contact data of a person was changed."),
    EventType("client_file_updated", "change", "Key dates or doelgroep of a client file were changed."),
    EventType("client_status_changed", "change", "The status of a client file changed; old and new are kept."),
    EventType("client_file_reassigned", "change", "A client file got another klantregisseur or team."),
    EventType("note_added", "change", "A note was added to a client file."),
    EventType("note_corrected", "change", "A correcting note was added that points at an earlier note."),
    EventType("household_member_added", "change", "A person was added to a household."),
    EventType("household_member_ended", "change", "A household membership was ended (kept in history)."),
    EventType("deadlines_refreshed", "change", "Next deadlines of client files were recomputed from the rules."),
    EventType("letter_created", "change", "A letter (PDF) was generated and stored for a client file."),
    # -- intakes: changes
    EventType("intake_call_planned", "change", "An oproep for the brede intake was planned (its letter follows)."),
    EventType("intake_call_outcome_recorded", "change", "An oproep's outcome was recorded with next step and boete."),
    EventType("intake_started", "change", "A brede intake was started for a person of the household."),
    EventType("leefgebied_assessment_saved", "change", "One leefgebied of an intake was saved (field names only)."),
    EventType("intake_completed", "change", "A brede intake was completed, with or without the person."),
    EventType("lbt_planned", "change", "A leerbaarheidstoets was planned."),
    EventType("lbt_result_recorded", "change", "The result or ontheffing of a leerbaarheidstoets was recorded."),
    EventType("route_advice_recorded", "change", "A route advice was recorded with the chosen route (insert-only)."),
    # -- providers: changes
    EventType("provider_created", "change", "A contractmanager added a provider (taal, MAP, PVT, Z-route, ...)."),
    EventType("provider_updated", "change", "A provider's data (kinds, keurmerk, contact, sharing) was changed."),
    EventType("provider_user_linked", "change", "An aanbieder membership was linked to its provider."),
    EventType("contract_created", "change", "A contract with a provider (gemeente or region) was added."),
    EventType("contract_updated", "change", "A contract's period, prices, capacity or components were changed."),
    EventType("enrolment_created", "change", "A person was placed with a provider under a contract (voorgesteld)."),
    EventType("enrolment_status_changed", "change", "An enrolment was accepted, declined, stopped or finished."),
    EventType("weekly_report_saved", "change", "A provider reported a week's hours and absence (new or replaced)."),
    EventType("exam_result_recorded", "change", "A provider recorded an exam result (part, level, passed)."),
    EventType("module_milestone_recorded", "change", "A provider reported a module milestone (PVT, MAP, voortgang)."),
    EventType("provider_csv_uploaded", "change", "A provider uploaded a CSV file of weekly reports (counts only)."),
    # -- monitoring: changes
    EventType("lesson_visit_recorded", "change", "A contractmanager recorded a lesbezoek (visit report)."),
    EventType("satisfaction_survey_recorded", "change", "A contractmanager recorded a cursist satisfaction survey."),
    # -- handhaving: changes
    EventType("fine_proposed", "change", "A W 23 boetevoorstel was made with the amount from the rules."),
    EventType("fine_decided", "change", "A teamleider decided on a boetevoorstel (opgelegd with letter, or afgezien)."),
    EventType("fine_bezwaar_registered", "change", "A bezwaar against an imposed W 23 boete was registered."),
    EventType("achievement_recorded", "change", "An achieved part (PVT, MAP, exam, route) was recorded for voldaan."),
    EventType("exam_result_confirmed", "change", "A provider-reported passed exam was confirmed with evidence (DUO)."),
    # -- plans: changes
    EventType("pip_drafted", "change", "A new PIP version (concept) was made, empty, from the intake or as a copy."),
    EventType("pip_updated", "change", "A PIP concept was changed (fields and agreements)."),
    EventType("pip_submitted", "change", "A PIP concept was offered to a teamleider for approval."),
    EventType("pip_rejected", "change", "A teamleider sent a PIP version back to concept with a comment."),
    EventType("pip_approved", "change", "A PIP version was approved by a second person and vastgesteld."),
    EventType("pip_superseded", "change", "A vastgestelde PIP version was replaced by a new version."),
    EventType("pip_client_response_recorded", "change", "The person's response to a vastgesteld PIP was recorded."),
    EventType("progress_talks_planned", "change", "Voortgangsgesprekken were planned from a vastgesteld PIP."),
    EventType("progress_talk_recorded", "change", "A voortgangsgesprek was recorded as held, with a summary."),
    EventType("bezwaar_registered", "change", "A bezwaar against a PIP version was registered."),
    EventType("bezwaar_updated", "change", "The status of a bezwaar against a PIP version changed."),
    # -- progress: changes
    EventType("afschalen_judgement_recorded", "change", "A klantregisseur's judgement on afschalen to A2 was stored."),
    EventType("route_switch_started", "change", "A route switch was started: a PIP concept with another leerroute."),
    EventType("progress_settings_changed", "change", "The attendance threshold of the gemeente was changed."),
    # -- letters: changes
    EventType("letter_settings_changed", "change", "The contact, bezwaar address or IBAN printed on letters changed."),
    # -- followup: changes
    EventType("followup_recorded", "change", "A vervolgcontact was recorded (situation, next contact)."),
    # Accounts and security
    EventType("staff_user_created", "security", "A staff user was created."),
    EventType("membership_granted", "security", "A user got a role in a gemeente."),
    EventType("membership_revoked", "security", "A role in a gemeente was taken away from a user."),
    EventType("staff_user_deactivated", "security", "A staff user was deactivated in a gemeente."),
    EventType("staff_password_replaced", "security", "A functioneel beheerder set a new password for a staff user."),
    EventType("team_created", "security", "A team was created in a gemeente."),
    EventType("section_access_changed", "security", "A gemeente narrowed what a role may do in a section of files."),
    EventType("consent_recorded", "change", "The client's consent for a purpose (e.g. health data) was recorded."),
    EventType("consent_revoked", "change", "The client's consent was withdrawn; the section closes at once."),
    EventType("backup_created", "export", "A backup of the whole database was made (operations.backup)."),
    # -- audit: archive of old months (#18 item 6)
    EventType(
        "audit_partition_archived",
        "export",
        "A month of the audit log was detached, exported to the archive and dropped from the database (archive_audit).",
    ),
    EventType(
        "retention_dry_run_reported",
        "security",
        "The retention job reported the files due for destruction; nothing changed.",
    ),
    EventType(
        "retention_destroyed",
        "change",
        "A file past its retention date (B 9.9) was destroyed: categories and row counts, basis; a skeleton remains.",
    ),
    EventType("legal_hold_placed", "change", "A legal hold stops the destruction of a client file (retention)."),
    EventType("legal_hold_released", "change", "A legal hold on a client file was released (retention)."),
    EventType("login_succeeded", "security", "A user logged in."),
    EventType("login_failed", "security", "A login attempt failed (wrong password or inactive account)."),
    EventType("login_locked", "security", "Too many failed logins: the user name waits a while at that address."),
    EventType("login_refused_locked", "security", "A login was refused during its wait (accounts.throttle)."),
    EventType("logged_out", "security", "A user logged out."),
    EventType("password_changed", "security", "A user changed their own password."),
    EventType("logged_out_everywhere", "security", "A user ended all their sessions ('Overal uitloggen')."),
    EventType("login_code_failed", "security", "A wrong code in the second login step (two-factor)."),
    EventType("login_recovery_code_used", "security", "A single-use recovery code replaced the app code at login."),
    EventType("login_refused_password_off", "security", "A password login was refused: the gemeente uses only SSO."),
    EventType("login_sso_refused", "security", "A single sign-on login was refused: unknown user or no mapped role."),
    EventType("login_settings_changed", "security", "A gemeente changed its login rules (two-factor, SSO)."),
    EventType("two_factor_enrolled", "security", "A user set up two-factor login (app and recovery codes)."),
    EventType("two_factor_removed", "security", "A functioneel beheerder removed a colleague's two-factor login."),
    EventType("api_token_created", "security", "An API token was created for a membership."),
    EventType("api_token_revoked", "security", "An API token was revoked."),
    EventType("gemeente_switched", "security", "A user switched to another gemeente or role."),
    # Signals in (DUO events, COA koppelingen): signals app
    EventType("signal_received", "change", "A DUO or COA message was received and stored; its outcome follows."),
    EventType(
        "signal_duplicate_ignored", "security", "A message that was already received arrived again; nothing changed."
    ),
    EventType("signal_applied", "change", "A received message was applied to a client file (or opened one)."),
    EventType("signal_corrected", "change", "A correcting message was applied; it points at the message it corrects."),
    EventType("signal_retracted", "change", "A retraction was processed; what the old message changed was undone."),
    EventType("signal_rejected", "change", "A message was rejected with a reason; only its hash and type are kept."),
    EventType("signal_quarantined", "change", "A message outside the gemeente's remit was kept apart, not in a file."),
    EventType("signal_purged", "change", "The payload of a quarantined message was erased; hash and metadata remain."),
    EventType("signal_viewed", "read", "A received message with its content was opened (UI or API)."),
    EventType("signals_listed", "read", "The signal inbox of the gemeente was listed (UI or API)."),
    EventType("plicht_mismatch_detected", "change", "Rules and DUO disagree on plicht or doelgroep: a file signal."),
    EventType("file_signal_resolved", "change", "An open signal on a client file was marked as handled."),
    # >>> ontzorgen (#13 financieel ontzorgen): add this work's entries below this line
    EventType(
        "ontzorgen_viewed", "read", "The ontzorgen page of a client file (period, obligations, ledger) was shown."
    ),
    EventType("ontzorgen_read", "read", "Ontzorgen, obligations or the ledger of a client file were read (API)."),
    EventType(
        "ontzorgen_worklist_viewed", "read", "The financieel consulent's ontzorgen worklist was shown (UI or API)."
    ),
    EventType(
        "ontzorgen_recorded", "change", "The bijstand dates or the maatwerk of a file's ontzorgen were recorded."
    ),
    EventType("ontzorgen_extended", "change", "Ontzorgen of a file was extended by a Pw 57 decision, with its reason."),
    EventType("ontzorgen_settings_changed", "change", "The gemeente's account for ontzorgen payments was changed."),
    EventType(
        "machtiging_recorded", "change", "A machtiging, consent, refusal or withdrawal for ontzorgen was recorded."
    ),
    EventType("obligation_recorded", "change", "A vaste last (creditor, IBAN, amount, day) was recorded for a file."),
    EventType("obligation_changed", "change", "A vaste last was changed; a change back in time is corrected in a run."),
    EventType("payment_run_created", "change", "A monthly payment run was built (payments and ledger entries)."),
    EventType("payment_run_approved", "change", "A payment run was approved by a second person; its SEPA file made."),
    EventType("payment_runs_listed", "read", "The payment runs of the gemeente were listed (UI or API)."),
    EventType("payment_run_viewed", "read", "One payment run with its payments was shown (UI or API); one per file."),
    EventType("payment_file_downloaded", "export", "The validated SEPA file of an approved run was downloaded."),
    EventType("ontzorgen_payments_prepared", "change", "Payments and ledger entries of a file were booked in a run."),
    EventType(
        "ontzorgen_payments_approved", "change", "A file's payments were approved and booked as withheld and sent."
    ),
    EventType("ontzorgen_payments_exported", "export", "A file's payments left in a downloaded SEPA file."),
    # -- ontzorgen part B (#13 items 2, 4, 5): bank reconciliation, toeslagen, begeleid loslaten, client statement
    EventType("bank_statement_imported", "change", "A camt.053 bank statement was imported and matched to payments."),
    EventType(
        "bank_statement_import_repeated",
        "change",
        "A camt.053 statement imported before was offered again; nothing changed.",
    ),
    EventType("bank_statements_viewed", "read", "The imported bank statements, or one with its lines, were shown."),
    EventType(
        "ontzorgen_payments_reconciled",
        "change",
        "A file's payments were marked paid or returned from a bank statement.",
    ),
    EventType(
        "bank_worklist_viewed", "read", "Returned and unmatched bank lines were shown on a worklist; one per file."
    ),
    EventType("statement_line_resolved", "change", "A returned or unmatched bank statement line was handled."),
    EventType("toeslag_recorded", "change", "The state of a huurtoeslag or zorgtoeslag of a file was recorded."),
    EventType("toeslagen_viewed", "read", "The toeslagen of a client file were shown (UI or API)."),
    EventType("loslaten_planned", "change", "A plan for begeleid loslaten (financial self-reliance) was made."),
    EventType("loslaten_step_added", "change", "A step was added to the plan for begeleid loslaten."),
    EventType(
        "loslaten_step_completed", "change", "A step of begeleid loslaten was done (the end step sends a letter)."
    ),
    EventType("loslaten_viewed", "read", "The plan for begeleid loslaten of a client file was shown (UI or API)."),
    EventType("ontzorgen_statement_printed", "export", "The client statement (PDF) of what was paid was made."),
    EventType(
        "ontzorgen_overpayment_corrected", "change", "Months paid but no longer owed were corrected (to reclaim)."
    ),
    EventType(
        "ontzorgen_reclaim_settled", "change", "A creditor refunded or offset money paid too much (reclaim closed)."
    ),
    EventType(
        "payment_file_destroyed", "change", "A payment run's SEPA file was emptied after its retention term (job)."
    ),
    # <<< ontzorgen
    # >>> netwerk (#14 zorg en netwerk): add this work's entries below this line
    EventType(
        "sociale_kaart_changed",
        "change",
        "An organisation or offer on the sociale kaart was added or changed (functioneel beheerder).",
    ),
    EventType("sociale_kaart_imported", "change", "A CSV file was imported into the sociale kaart (all rows or none)."),
    EventType(
        "partner_user_linked", "security", "A user was linked to a chain-partner organisation (role ketenpartner)."
    ),
    EventType(
        "referral_created",
        "change",
        "A referral to a chain partner was drawn up (concept), with its consent and package.",
    ),
    EventType(
        "referral_consent_recorded",
        "change",
        "The client's consent for one referral (purpose, recipient, data set) was recorded.",
    ),
    EventType(
        "referral_consent_revoked",
        "change",
        "The client's consent for a referral was withdrawn; the partner's access ended.",
    ),
    EventType("referral_dispatched", "change", "A referral was sent to the chain partner."),
    EventType(
        "referral_status_changed",
        "change",
        "A chain partner accepted, refused, started, ended or reported back on a referral.",
    ),
    EventType(
        "referral_followed_up", "change", "The klantregisseur followed a referral up (new follow-up date or none)."
    ),
    EventType(
        "referral_escalated", "change", "A sent referral was not answered within the gemeente's term and escalated."
    ),
    EventType("referrals_viewed", "read", "The referrals of a client file were read by staff (UI or API)."),
    EventType("handover_package_compiled", "change", "A warme-overdracht package was built from consented sections."),
    EventType(
        "handover_package_viewed",
        "read",
        "A chain partner read a referral with its warme-overdracht package (purpose: the referral).",
    ),
    EventType(
        "handover_package_acknowledged", "change", "A chain partner confirmed receipt of the warme-overdracht package."
    ),
    EventType("referral_inbox_listed", "read", "A chain partner listed the referrals addressed to its organisation."),
    EventType(
        "begeleiding_recorded",
        "change",
        "The maatschappelijk begeleider recorded an activity, help, contact moment or signal.",
    ),
    EventType("begeleiding_viewed", "read", "The begeleiding part of a file was read (UI or API)."),
    EventType("begeleiding_caseload_listed", "read", "A maatschappelijk begeleider listed the files assigned to them."),
    EventType("begeleiding_assigned", "change", "A maatschappelijk begeleider was assigned to a file (or removed)."),
    EventType(
        "buddy_matched", "change", "A buddy or taalmaatje was matched to a client through a partner organisation."
    ),
    EventType("buddy_ended", "change", "The match with a buddy or taalmaatje ended."),
    EventType("contact_card_viewed", "read", "The contact card of a client was read or printed (UI or API)."),
    EventType("contact_person_added", "change", "A contact was added to the client's contact card."),
    EventType("netwerk_figures_viewed", "read", "Aggregated referral figures (no persons) were read."),
    # <<< netwerk
    # >>> portal (#15 portaal): add this work's entries below this line
    EventType("portal_logged_in", "security", "A client logged in to the portal with DigiD (or the mock DigiD)."),
    EventType("portal_logged_out", "security", "A client logged out of the portal."),
    EventType("portal_plan_viewed", "read", "The client read their own plan in the portal."),
    EventType(
        "portal_progress_viewed", "read", "The client read their own progress (hours, exams, PVT, MAP) in the portal."
    ),
    EventType(
        "portal_notification_queued",
        "security",
        "A notice without content (new message or letter) was queued in the outbox for the client's e-mail or phone.",
    ),
    EventType("portal_appointments_viewed", "read", "The client read their own appointments and tasks in the portal."),
    EventType("portal_appointment_downloaded", "read", "The client downloaded an appointment as .ics from the portal."),
    EventType(
        "portal_documents_viewed", "read", "The client read the list of their own letters and uploads in the portal."
    ),
    EventType(
        "portal_letter_downloaded", "read", "The client downloaded one of their own letters (PDF) from the portal."
    ),
    EventType("portal_upload_downloaded", "read", "The client downloaded a document they uploaded themselves."),
    EventType("portal_messages_viewed", "read", "The client read their messages in the portal."),
    EventType("portal_access_log_viewed", "read", "The client looked at who viewed their file, or at their consents."),
    EventType("portal_data_read", "read", "The client's own data was read through the portal API."),
    EventType("portal_language_changed", "change", "The client chose another language for the portal."),
    EventType(
        "portal_upload_received", "change", "The client uploaded a document (diploma, medical statement) in the portal."
    ),
    EventType("portal_message_submitted", "change", "The client sent a message to the klantregisseur in the portal."),
    EventType("portal_reschedule_requested", "change", "The client asked to reschedule an appointment in the portal."),
    EventType("portal_consent_revoked", "change", "The client withdrew a consent in the portal (effective at once)."),
    EventType("portal_inbox_viewed", "read", "Staff opened the portal items (messages, requests, uploads) of a file."),
    EventType("portal_messages_read", "read", "Staff read the client's portal messages (read receipt set)."),
    EventType("portal_message_answered", "change", "Staff answered the client in the portal."),
    EventType("portal_reschedule_handled", "change", "Staff handled a reschedule request from the portal."),
    EventType("portal_upload_read", "read", "Staff opened a document the client uploaded in the portal."),
    EventType(
        "portal_settings_changed", "change", "The functioneel beheerder changed which parts of the portal are on."
    ),
    # <<< portal
    # >>> monitoring (#16 monitoring): add this work's entries below this line
    EventType("monitoring_figures_viewed", "read", "Gemeente, team, regional or KIS figures were shown (UI or API)."),
    EventType(
        "monitoring_figures_exported", "export", "Gemeente, team, regional or KIS figures were downloaded as CSV."
    ),
    EventType(
        "monitoring_facts_refreshed", "change", "The daily job brought a gemeente's monitoring figures up to date."
    ),
    EventType("council_reports_listed", "read", "The list of council reports (raadsrapporten) was shown (UI or API)."),
    EventType("council_report_viewed", "read", "A council report with its suppressed figures and texts was shown."),
    EventType("council_report_created", "change", "A council report was started: the period's figures were taken."),
    EventType("council_report_changed", "change", "The texts of a council report, or its figures, were changed."),
    EventType(
        "council_report_generation_started",
        "change",
        "The job that makes (or checks again) a council report's PDF was queued.",
    ),
    EventType("council_report_generated", "change", "The job made and stored a council report's PDF."),
    EventType(
        "council_report_regenerated",
        "change",
        "The job made a council report's PDF again from what is stored, and compared.",
    ),
    EventType("council_report_downloaded", "export", "A council report's PDF was downloaded (UI or API)."),
    # <<< monitoring
    # >>> cbs (#16 item 5 the quarterly CBS file): add this work's entries below this line
    EventType(
        "cbs_delivery_viewed",
        "read",
        "The CBS delivery page or API was shown: quarters, stored files and the clients missing data for the file.",
    ),
    EventType("cbs_delivery_requested", "change", "Someone started the job that makes a quarter's CBS file."),
    EventType(
        "cbs_delivery_generated",
        "change",
        "The job made a quarter's CBS file, validated it against the schema and stored it as a new version.",
    ),
    EventType("cbs_delivery_downloaded", "export", "A stored CBS file (with BSNs) was downloaded for delivery."),
    EventType(
        "cbs_delivery_destroyed", "change", "A stored CBS file was emptied two years after its quarter (retention job)."
    ),
    # <<< cbs
    # >>> interop (#17 BRP, ZGW, notificaties, Open Klant): add this work's entries below this line
    EventType("integration_outbox_viewed", "read", "The functioneel beheerder listed the outgoing messages."),
    EventType(
        "integration_message_retried", "change", "A waiting or failed outgoing message was put back in the queue."
    ),
    EventType("integration_connection_changed", "security", "A gemeente's connection to another system was set up."),
    EventType("integration_connection_tested", "security", "The functioneel beheerder tested a connection."),
    EventType("brp_person_looked_up", "read", "A person was looked up in the BRP by BSN (aanmelden); purpose logged."),
    EventType(
        "integration_notification_received",
        "change",
        "A notification from another system came in through the webhook (its authorisation checked) and was stored.",
    ),
    EventType(
        "letter_dispatch_recorded",
        "change",
        "A letter was recorded as sent (channel and send date; legal terms run from it).",
    ),
    EventType("letter_print_batch_created", "change", "Letters were put in a print-and-mail batch and recorded sent."),
    EventType("letter_print_batch_downloaded", "read", "A print-and-mail batch (PDFs and addresses) was downloaded."),
    EventType("letters_unsent_listed", "read", "The list of letters not yet sent was read."),
    EventType(
        "integration_notification_signalled",
        "change",
        "A received notification showed a change made outside this application; a 'Controle nodig' signal was raised.",
    ),
    # <<< interop
    # >>> duo (#17 DUO M2M and letters sent): add this work's entries below this line
    EventType("duo_pip_registered", "change", "The vastgestelde PIP was registered at DUO over the M2M connection."),
    EventType(
        "duo_request_refused", "change", "DUO refused a registration on its business rules; a signal was raised."
    ),
    EventType("duo_notification_received", "change", "DUO's Notificatie API call was accepted and queued for intake."),
    EventType(
        "duo_notification_refused", "security", "A call to the Notificatie API was refused (certificate or OIN)."
    ),
    EventType("duo_uren_registered", "change", "Followed hours were registered at DUO over the M2M connection."),
    EventType("duo_resultaat_registered", "change", "A MAP or PVT date was registered at DUO over the M2M connection."),
    EventType(
        "duo_resultaat_blocked",
        "change",
        "A MAP or PVT date was not sent to DUO because DUO's checks would refuse it; a signal was raised.",
    ),
    EventType(
        "residence_check_signalled", "change", "The periodic BRP check found a move or death and raised a signal."
    ),
    EventType(
        "residence_check_completed", "read", "The periodic BRP check read the open files of a gemeente in the BRP."
    ),
    EventType("klantcontact_registered", "change", "A contact moment was registered as klantcontact in Open Klant."),
    EventType("digital_address_stored", "change", "A digital address was written to the contact registry."),
    EventType("digital_address_read", "read", "Digital addresses were read from the contact registry."),
    EventType("duo_data_fetched", "read", "DUO's data (and the BRP's when needed) fetched for a DUO notification."),
    # <<< duo
    # >>> queue (#18 jobs and performance): add this work's entries below this line
    # <<< queue
)

EVENT_CODES: frozenset[str] = frozenset(event.code for event in EVENT_TYPES)


def render_markdown() -> str:
    lines = [
        "# Audit events",
        "",
        "Generated from `src/openinburgering/audit/catalogue.py` by `python -m django audit_catalogue`;",
        "a test fails when this file and the catalogue differ. Every event stores who (actor), when, which",
        "gemeente and client file, the subject, the purpose (doelbinding), old/new values for changes and the",
        "request id. The table is insert-only: PostgreSQL refuses UPDATE and DELETE on it.",
        "",
        "| event | kind | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{e.code}` | {e.kind} | {e.description} |" for e in EVENT_TYPES]
    return "\n".join(lines) + "\n"
