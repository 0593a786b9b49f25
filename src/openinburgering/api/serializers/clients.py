"""Persons, client files, status changes, notes and the caseload, as the API shows and accepts them.

Field names follow the models (English snake_case); enumerations are their codes; dates are ISO 8601."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openinburgering.casefile.summary import CallState, FileSummary, IntakeState, PipState, summary_of
from openinburgering.casefile.timeline import TIMELINE_KINDS, TimelineEntry
from openinburgering.clients.choices import Doelgroep, FileStatus, Residence, ResidencePurpose, Sex
from openinburgering.clients.deadlines import DEADLINE_LABELS, KIND_GROUPS
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.clients.selectors import CASELOAD_ORDERINGS
from openinburgering.clients.workflow import manual_next_statuses

from . import fields
from .base import CodeField, StaffField, StaffRefSerializer, StrictSerializer, TeamField, TeamRefSerializer

# --- Reading -------------------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer[Person]):
    nationality = serializers.CharField(source="nationality_id", allow_null=True, read_only=True)
    birth_country = serializers.CharField(source="birth_country_id", allow_null=True, read_only=True)

    class Meta:
        model = Person
        fields = (
            "id", "bsn", "v_number", "given_names", "surname_prefix", "surname", "birth_on", "sex", "nationality",
            "birth_country", "languages", "interpreter_needed", "interpreter_language", "street", "house_number",
            "postcode", "city", "phone", "email",
        )  # fmt: skip
        read_only_fields = fields


class PersonNameSerializer(serializers.ModelSerializer[Person]):
    """The minimum to recognise a person in a list."""

    class Meta:
        model = Person
        fields = ("id", "given_names", "surname_prefix", "surname", "birth_on")
        read_only_fields = fields


def _days_left(client_file: ClientFile, today: date) -> int | None:
    if client_file.next_deadline_on is None:
        return None
    return (client_file.next_deadline_on - today).days


class _DeadlineMixin(serializers.Serializer[Any]):
    next_deadline_label = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField(help_text="Days until the next deadline; negative when overdue.")
    is_overdue = serializers.SerializerMethodField()

    def get_next_deadline_label(self, obj: ClientFile) -> str:
        return str(DEADLINE_LABELS.get(obj.next_deadline_kind, ""))

    def get_days_left(self, obj: ClientFile) -> int | None:
        return _days_left(obj, self.context["today"])

    def get_is_overdue(self, obj: ClientFile) -> bool:
        days = _days_left(obj, self.context["today"])
        return days is not None and days < 0


class SearchResultSerializer(serializers.ModelSerializer[ClientFile]):
    person = PersonNameSerializer(read_only=True)
    bsn_end = serializers.SerializerMethodField(help_text="The last three digits of the BSN, to tell people apart.")
    assigned_to = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ClientFile
        fields = ("id", "status", "opened_on", "person", "bsn_end", "assigned_to")
        read_only_fields = fields

    def get_bsn_end(self, obj: ClientFile) -> str:
        return obj.person.bsn[-3:]


class _WorklistRowSerializer(_DeadlineMixin, serializers.ModelSerializer[ClientFile]):
    """What every worklist row shows: the file, its person and worker, and the next step."""

    person = PersonNameSerializer(read_only=True)
    assigned_to = StaffRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ClientFile
        fields: tuple[str, ...] = (
            "id", "status", "doelgroep", "opened_on", "person", "assigned_to", "team", "next_deadline_on",
            "next_deadline_kind", "next_deadline_label", "days_left", "is_overdue",
        )  # fmt: skip
        read_only_fields: tuple[str, ...] = fields


class CaseloadAttendanceSerializer(serializers.Serializer[Any]):
    """The attendance signal of the voortgang (issue #6): hours attended / hours offered over the last 4 complete
    ISO weeks, all enrolments of the file together."""

    rate_percent = serializers.IntegerField(help_text="Whole percent, rounded down.")
    threshold_percent = serializers.IntegerField(help_text="The gemeente's threshold for the signal.")
    low = serializers.BooleanField(help_text="The rate is under the threshold: the signal 'lage aanwezigheid'.")


class FileSummarySerializer(serializers.Serializer[FileSummary]):
    """Where a file stands, derived in one place from its records (`casefile.summary`): the same on the file page,
    the worklists and the API."""

    call_state = serializers.ChoiceField(choices=[s.value for s in CallState], help_text="The last oproep.")
    call_count = serializers.IntegerField()
    intake_state = serializers.ChoiceField(
        choices=[s.value for s in IntakeState], help_text="The brede intake of the file's own person."
    )
    intake_done = serializers.IntegerField(help_text="Leefgebieden done in that intake.")
    intake_total = serializers.IntegerField()
    intake_in_absence = serializers.BooleanField()
    pip_state = serializers.ChoiceField(choices=[s.value for s in PipState])
    oproep_step = serializers.CharField(
        help_text="The rules' next step after the oproepen (`rules.intake_next_step`); empty once the intake phase "
        "is over (intake completed, PIP vastgesteld, or a status past intake)."
    )
    oproep_step_label = serializers.CharField()
    intake_label = serializers.CharField()
    pip_label = serializers.CharField()
    stage_label = serializers.CharField(help_text="Where the file stands, in one line (as on the worklists).")


class _SummaryMixin(serializers.Serializer[Any]):
    summary = serializers.SerializerMethodField()

    @extend_schema_field(FileSummarySerializer)
    def get_summary(self, obj: ClientFile) -> dict[str, Any]:
        return dict(FileSummarySerializer(self._summary(obj)).data)

    def _summary(self, obj: ClientFile) -> FileSummary:
        summaries: dict[int, FileSummary] | None = self.context.get("summaries")
        return summaries[obj.pk] if summaries is not None else summary_of(obj)


class CaseloadItemSerializer(_SummaryMixin, _WorklistRowSerializer):
    """A caseload row: the file, where it stands, its next step and its attendance signal."""

    attendance = serializers.SerializerMethodField(
        help_text="Attendance over the last 4 complete ISO weeks; null when no hours were offered in them."
    )

    class Meta(_WorklistRowSerializer.Meta):
        fields = (*_WorklistRowSerializer.Meta.fields, "attendance", "summary")
        read_only_fields = fields

    @extend_schema_field(CaseloadAttendanceSerializer(allow_null=True))
    def get_attendance(self, obj: ClientFile) -> dict[str, Any] | None:
        rate = self.context["attendance"].get(obj.pk)
        if rate is None or rate.percent is None:
            return None
        return {"rate_percent": rate.percent, "threshold_percent": rate.threshold_percent, "low": rate.is_low}


class VroegeStartItemSerializer(_SummaryMixin, _WorklistRowSerializer):
    """A worklist row plus how far oproepen, intake and PIP are (`casefile.summary`, for the rows of the page)."""

    coa_koppeling_on = serializers.DateField(read_only=True)
    has_pending_call = serializers.SerializerMethodField(help_text="The last oproep is planned and not yet held.")
    has_appeared_call = serializers.SerializerMethodField(help_text="The person came to the last oproep.")
    intake_started = serializers.SerializerMethodField(help_text="The brede intake of the person was started.")
    pip_in_progress = serializers.SerializerMethodField(help_text="A PIP version is concept or ter goedkeuring.")
    pip_set = serializers.SerializerMethodField(help_text="A PIP was vastgesteld (the termijn runs).")

    class Meta(_WorklistRowSerializer.Meta):
        fields = (
            *_WorklistRowSerializer.Meta.fields, "coa_koppeling_on", "has_pending_call", "has_appeared_call",
            "intake_started", "pip_in_progress", "pip_set", "summary",
        )  # fmt: skip
        read_only_fields = fields

    def get_has_pending_call(self, obj: ClientFile) -> bool:
        return self._summary(obj).call_state == CallState.PENDING

    def get_has_appeared_call(self, obj: ClientFile) -> bool:
        return self._summary(obj).call_state == CallState.APPEARED

    def get_intake_started(self, obj: ClientFile) -> bool:
        return self._summary(obj).intake_state != IntakeState.NOT_STARTED

    def get_pip_in_progress(self, obj: ClientFile) -> bool:
        return self._summary(obj).pip_state in (PipState.CONCEPT, PipState.TER_GOEDKEURING)

    def get_pip_set(self, obj: ClientFile) -> bool:
        return self._summary(obj).pip_state == PipState.VASTGESTELD


class ClientFileSerializer(_SummaryMixin, _DeadlineMixin, serializers.ModelSerializer[ClientFile]):
    person = PersonSerializer(read_only=True)
    assigned_to = StaffRefSerializer(read_only=True, allow_null=True)
    team = TeamRefSerializer(read_only=True, allow_null=True)
    allowed_next_statuses = serializers.SerializerMethodField()

    class Meta:
        model = ClientFile
        fields = (
            "id", "status", "status_changed_at", "allowed_next_statuses", "doelgroep", "residence",
            "residence_purpose", "residence_from_on", "kennisgeving_on", "coa_koppeling_on",
            "housed_under_taakstelling", "registered_on", "housed_on", "pip_dagtekening_on", "assigned_to", "team",
            "next_deadline_on", "next_deadline_kind", "next_deadline_label", "days_left", "is_overdue", "opened_on",
            "created_at", "updated_at", "person", "summary",
        )  # fmt: skip
        read_only_fields = fields

    def get_allowed_next_statuses(self, obj: ClientFile) -> list[str]:
        return [str(status) for status in manual_next_statuses(obj.status)]


class TimelineEntrySerializer(serializers.Serializer[TimelineEntry]):
    """One step of a client file's timeline (`casefile.timeline`)."""

    at = serializers.DateTimeField(help_text="When it happened.")
    kind = serializers.ChoiceField(choices=list(TIMELINE_KINDS), help_text="What kind of step it is.")
    title = serializers.CharField(help_text="What happened, in Dutch.")
    detail = serializers.CharField(help_text="More about it, in Dutch; may be empty.")
    actor = serializers.CharField(
        help_text="Who did it (display name), 'systeem' for the system, 'niet vastgelegd' when not recorded."
    )


class StatusChangeSerializer(serializers.ModelSerializer[StatusChange]):
    changed_by = StaffRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = ("id", "from_status", "to_status", "changed_at", "changed_by", "reason")
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer[Note]):
    author = StaffRefSerializer(read_only=True)
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True, read_only=True)

    class Meta:
        model = Note
        fields = ("id", "body", "author", "created_at", "corrects")
        read_only_fields = fields


# --- Writing -------------------------------------------------------------------------------------------------


class PersonWriteSerializer(StrictSerializer):
    bsn = fields.TextField(max_length=20, allow_blank=True, required=False)
    v_number = fields.TextField(max_length=20, allow_blank=True, required=False)
    given_names = fields.TextField(max_length=200)
    surname_prefix = fields.TextField(max_length=20, allow_blank=True, required=False)
    surname = fields.TextField(max_length=200)
    birth_on = fields.DateField()
    sex = fields.ChoiceField(choices=Sex.choices, required=False)
    nationality = CodeField(source="nationality_id", max_length=4, help_text="BRP table 32 code.")
    birth_country = CodeField(source="birth_country_id", max_length=4, help_text="BRP table 34 code.")
    languages = fields.TextField(max_length=200, allow_blank=True, required=False)
    interpreter_needed = fields.BooleanField(required=False)
    interpreter_language = fields.TextField(max_length=100, allow_blank=True, required=False)
    street = fields.TextField(max_length=200, allow_blank=True, required=False)
    house_number = fields.TextField(max_length=20, allow_blank=True, required=False)
    postcode = fields.TextField(max_length=7, allow_blank=True, required=False)
    city = fields.TextField(max_length=100, allow_blank=True, required=False)
    phone = fields.TextField(max_length=30, allow_blank=True, required=False)
    email = fields.EmailField(max_length=254, allow_blank=True, required=False)


class _FileFieldsSerializer(StrictSerializer):
    doelgroep = fields.ChoiceField(choices=Doelgroep.choices, allow_blank=True, required=False)
    residence = fields.ChoiceField(choices=Residence.choices, allow_blank=True, required=False)
    residence_purpose = fields.ChoiceField(choices=ResidencePurpose.choices, allow_blank=True, required=False)
    residence_from_on = fields.DateField(allow_null=True, required=False)
    kennisgeving_on = fields.DateField(allow_null=True, required=False)
    coa_koppeling_on = fields.DateField(allow_null=True, required=False)
    housed_under_taakstelling = fields.BooleanField(required=False)
    registered_on = fields.DateField(allow_null=True, required=False)
    housed_on = fields.DateField(allow_null=True, required=False)
    pip_dagtekening_on = fields.DateField(allow_null=True, required=False)


class ClientFileCreateSerializer(_FileFieldsSerializer):
    """An aanmelding: the person and the file's key data, optionally assigned to a klantregisseur."""

    person = PersonWriteSerializer()
    assigned_to = StaffField(help_text="Id of a klantregisseur or teamleider of this gemeente.")
    team = TeamField(help_text="Id of a team of this gemeente; by default the assigned worker's team.")


class ClientFileUpdateSerializer(_FileFieldsSerializer):
    """Partial update (PATCH): send only what changes. `person` holds the person's fields."""

    person = PersonWriteSerializer(required=False)


class StatusChangeCreateSerializer(StrictSerializer):
    to_status = fields.ChoiceField(choices=FileStatus.choices)
    reason = fields.TextField(max_length=2000, allow_blank=True)


class NoteCreateSerializer(StrictSerializer):
    body = fields.TextField(max_length=10_000, allow_blank=True)
    corrects = fields.IntegerField(
        min_value=1, max_value=2**63 - 1, allow_null=True, required=False, help_text="Id of the note this corrects."
    )


class AssignmentSerializer(StrictSerializer):
    assigned_to = StaffField(required=True, help_text="Id of a klantregisseur or teamleider, or null.")
    team = TeamField(help_text="Id of a team, or null; when left out the file keeps its team.")


# --- Query parameters ----------------------------------------------------------------------------------------


class PersonSearchSerializer(StrictSerializer):
    """The body of `POST /persons/search`: the search term travels in the body, never in the URL."""

    q = fields.TextField(
        max_length=200, help_text="BSN, V-nummer, birth date (dd-mm-jjjj or jjjj-mm-dd) or (part of) the name."
    )


class CaseloadQuerySerializer(serializers.Serializer[Any]):
    scope = fields.ChoiceField(choices=(("mine", "mine"), ("team", "team")), default="mine")
    status = fields.ChoiceField(choices=FileStatus.choices, allow_blank=True, default="")
    doelgroep = fields.ChoiceField(choices=Doelgroep.choices, allow_blank=True, default="")
    due = fields.ChoiceField(
        choices=(("overdue", "overdue"), ("week", "week"), ("soon", "soon")), allow_blank=True, default=""
    )
    assigned_to = fields.IntegerField(
        min_value=0, max_value=2**63 - 1, required=False, allow_null=True,
        help_text="Team scope only: a worker's user id, or 0 for files without a worker.",
    )  # fmt: skip
    ordering = fields.ChoiceField(choices=[(key, key) for key in CASELOAD_ORDERINGS], default="deadline")
    overdue = fields.BooleanField(
        required=False, default=False, help_text="Only files whose next step is past its date (te laat)."
    )
    due_within_days = fields.IntegerField(
        min_value=1, max_value=366, required=False, allow_null=True, default=None,
        help_text="Only files whose next step is due from today up to today + n - 1 days (7 = deze week).",
    )  # fmt: skip
    kind = fields.ChoiceField(
        choices=[(key, key) for key in KIND_GROUPS], allow_blank=True, default="",
        help_text="Only this kind of next step; `pip_due` includes every basis of B 5.3.",
    )  # fmt: skip
    low_attendance = fields.BooleanField(
        required=False, default=False,
        help_text="Only files whose attendance over the last 4 complete ISO weeks is under the gemeente's threshold.",
    )  # fmt: skip
