"""Persons, client files (dossiers), their append-only status history and notes.

A Person is someone known to the gemeente (an inburgeringsplichtige, a partner, a child). A ClientFile is the
dossier of one inburgeringsplichtige: at most one open file per person (database constraint); BSN unique per
gemeente. Status history and notes are insert-only; a correction is a new note pointing at the old one.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CLOSED_STATUSES, Doelgroep, FileStatus, Residence, ResidencePurpose, Sex


class InsertOnlyModel(models.Model):
    """Rows are written once. A correction is a new row; the model refuses updates and deletes."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are insert-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"{type(self).__name__} rows are insert-only.")


class Nationality(models.Model):
    """BRP landelijke tabel 32."""

    code = models.CharField(max_length=4, primary_key=True)
    description = models.CharField(max_length=100)

    class Meta:
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description


class Country(models.Model):
    """BRP landelijke tabel 34."""

    code = models.CharField(max_length=4, primary_key=True)
    description = models.CharField(max_length=100)

    class Meta:
        ordering = ["description"]

    def __str__(self) -> str:
        return self.description


class Person(models.Model):
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="persons")
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    v_number = models.CharField(_("V-nummer"), max_length=10, blank=True)
    given_names = models.CharField(_("voornamen"), max_length=200)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    birth_on = models.DateField(_("geboortedatum"))
    sex = models.CharField(_("geslacht"), max_length=1, choices=Sex.choices, default=Sex.ONBEKEND)
    nationality = models.ForeignKey(Nationality, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    birth_country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    languages = models.CharField(_("talen"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("tolk nodig"), default=False)
    interpreter_language = models.CharField(_("taal van de tolk"), max_length=100, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "bsn"], condition=~Q(bsn=""), name="person_bsn_unique_per_gemeente"
            ),
            models.CheckConstraint(condition=Q(bsn="") | Q(bsn__regex=r"^[0-9]{9}$"), name="person_bsn_format"),
            models.CheckConstraint(
                condition=Q(v_number="") | Q(v_number__regex=r"^[0-9]{10}$"), name="person_v_number_format"
            ),
        ]
        indexes = [
            models.Index(fields=["gemeente", "v_number"], name="person_v_number"),
            models.Index(fields=["gemeente", "surname"], name="person_surname"),
            models.Index(fields=["gemeente", "birth_on"], name="person_birth_on"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)


class ClientFile(models.Model):
    """The dossier of one inburgeringsplichtige in one gemeente."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="client_files")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="client_files")
    status = models.CharField(max_length=30, choices=FileStatus.choices, default=FileStatus.AANGEMELD)
    status_changed_at = models.DateTimeField()
    doelgroep = models.CharField(max_length=30, choices=Doelgroep.choices, blank=True)
    residence = models.CharField(max_length=20, choices=Residence.choices, blank=True)
    residence_purpose = models.CharField(max_length=40, choices=ResidencePurpose.choices, blank=True)
    residence_from_on = models.DateField(_("verblijfsvergunning vanaf"), null=True, blank=True)
    kennisgeving_on = models.DateField(_("kennisgeving DUO"), null=True, blank=True)
    coa_koppeling_on = models.DateField(_("COA-koppeling"), null=True, blank=True)
    housed_under_taakstelling = models.BooleanField(_("gehuisvest via de taakstelling"), default=False)
    registered_on = models.DateField(_("inschrijving BRP in de gemeente"), null=True, blank=True)
    housed_on = models.DateField(_("huisvesting vanaf"), null=True, blank=True)
    pip_dagtekening_on = models.DateField(_("dagtekening eerste PIP"), null=True, blank=True)
    # W 12: the newest termijn DUO reported (SS102) that DUO did not retract, as DUO gave it (its einddatum is
    # exclusive), and the day it came in. Kept by the DUO import (clients.services.record_duo_termijn) from the
    # 'termijn gestart' signals; rules.file_termijn reads it against the PIP (plans.services.termijn_of).
    duo_termijn_start_on = models.DateField(_("termijn DUO: startdatum"), null=True, blank=True)
    duo_termijn_einddatum_on = models.DateField(_("termijn DUO: einddatum"), null=True, blank=True)
    duo_termijn_reported_on = models.DateField(_("termijn DUO: ontvangen op"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_files"
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    # The maatschappelijk begeleider of this file: that role reaches only the files assigned to them (#12 item 1).
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="begeleid_files"
    )
    # Denormalised from the rules module (clients.deadlines) so worklists sort and filter in the database.
    next_deadline_on = models.DateField(null=True, blank=True)
    next_deadline_kind = models.CharField(max_length=40, blank=True)
    deadlines_computed_on = models.DateField(null=True, blank=True)
    opened_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status__in=CLOSED_STATUSES), name="client_file_one_open_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["gemeente", "assigned_to", "next_deadline_on"], name="file_caseload"),
            models.Index(fields=["gemeente", "team", "next_deadline_on"], name="file_team_caseload"),
            models.Index(fields=["gemeente", "status"], name="file_status"),
            # The team worklist: every open file of the gemeente by deadline (bench: 105 ms sort → 0.4 ms).
            models.Index(
                fields=["gemeente", "next_deadline_on", "id"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="file_open_by_deadline",
            ),
            # "Soort stap": the open files of one kind of next step, by deadline.
            models.Index(
                fields=["gemeente", "next_deadline_kind", "next_deadline_on"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="file_open_by_step_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"Dossier {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class StatusChange(InsertOnlyModel):
    client_file = models.ForeignKey(ClientFile, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=FileStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=FileStatus.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["client_file", "-changed_at"], name="status_change_recent")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class Note(InsertOnlyModel):
    client_file = models.ForeignKey(ClientFile, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client_file", "-created_at"], name="note_recent")]

    def __str__(self) -> str:
        return f"Notitie {self.pk}"


class ConsentPurpose(models.TextChoices):
    GEZONDHEID = "gezondheid", _("Gezondheidsgegevens vastleggen en gebruiken voor het plan")


class Consent(InsertOnlyModel):
    """The client's explicit consent for one purpose (AVG art. 9 lid 2 sub a for health data), as recorded by staff.

    Insert-only; a withdrawal is its own record (ConsentWithdrawal) and takes effect at once: the section the consent
    opens (e.g. gezondheid) closes for everyone from that moment (clients.access.access_section).

    Consent is per person: a brede intake belongs to one person of the household (the inburgeraar, a partner, a
    child), and each gives or refuses their own. ``person`` empty means the file's own person (the inburgeraar)."""

    client_file = models.ForeignKey(ClientFile, on_delete=models.PROTECT, related_name="consents")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("De persoon die toestemming gaf; leeg is de inburgeraar van het dossier."),
    )
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    given_on = models.DateField()
    how = models.CharField(max_length=200, help_text=_("Hoe de toestemming is gegeven (mondeling, schriftelijk)."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["client_file", "purpose"], name="consent_file_purpose")]

    def __str__(self) -> str:
        return f"Toestemming {self.get_purpose_display()}"


class ConsentWithdrawal(InsertOnlyModel):
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Ingetrokken op {self.withdrawn_on}"
