"""Serializers of the ontzorgen API (``api.py``): what a file's ontzorgen, its obligations, ledger, worklist, the
gemeente's account and the payment runs look like in /api/v1/. Money is integer cents (``*_cents``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from . import selectors
from .models import (
    LedgerEntry,
    Machtiging,
    MachtigingKind,
    Obligation,
    ObligationKind,
    OntzorgenExtension,
    OntzorgenSettings,
    Payment,
    PaymentRun,
    RunStatus,
)

CENTS_HELP = "Integer cents (65000 is € 650,00); more than 0."


class ExtensionSerializer(serializers.ModelSerializer[OntzorgenExtension]):
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = OntzorgenExtension
        fields: tuple[str, ...] = ("id", "extended_until_on", "decided_on", "reason", "recorded_at", "recorded_by")
        read_only_fields = fields


class BalancesSerializer(serializers.Serializer[Any]):
    withheld_cents = serializers.IntegerField(source="withheld")
    due_cents = serializers.IntegerField(source="due")
    sent_cents = serializers.IntegerField(source="sent")
    returned_cents = serializers.IntegerField(source="returned")
    corrected_cents = serializers.IntegerField(source="corrected")
    refunded_cents = serializers.IntegerField(source="refunded", help_text="Paid too much and refunded by creditors.")
    offset_cents = serializers.IntegerField(source="offset", help_text="Paid too much and offset by creditors.")
    outstanding_cents = serializers.IntegerField(
        source="outstanding", help_text="Owed to creditors and not paid; negative: paid too much (a credit)."
    )
    held_cents = serializers.IntegerField(source="held", help_text="Withheld from the bijstand and not paid out.")


class ReclaimSerializer(serializers.Serializer[Any]):
    obligation_id = serializers.IntegerField(source="obligation.pk")
    kind = serializers.ChoiceField(source="obligation.kind", choices=ObligationKind.choices)
    creditor_name = serializers.CharField(source="obligation.creditor_name")
    amount_cents = serializers.IntegerField(help_text="Paid too much: to reclaim from the creditor or settle.")
    months = serializers.ListField(child=serializers.DateField(), help_text="Months corrected down, oldest first.")


class OntzorgenSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=[(str(stage), label) for stage, label in selectors.STAGE_LABELS.items()])
    receives_bijstand = serializers.BooleanField(allow_null=True)
    bijstand_start_on = serializers.DateField(allow_null=True)
    bijstand_end_on = serializers.DateField(allow_null=True)
    applies = serializers.BooleanField()
    reason = serializers.CharField(help_text="rules.ontzorgen's reason: applies, not_asiel, no_bijstand, ...")
    start_on = serializers.DateField(allow_null=True)
    end_on = serializers.DateField(allow_null=True)
    items = serializers.ListField(child=serializers.ChoiceField(choices=ObligationKind.choices))
    maatwerk_reason = serializers.CharField(allow_blank=True)
    extensions = ExtensionSerializer(many=True)
    balances = BalancesSerializer()
    reclaims = ReclaimSerializer(
        many=True, help_text="Vaste lasten paid too much (bijstand or ontzorgen ended early, a vaste last ended back)."
    )


class OntzorgenWriteSerializer(serializers.Serializer[Any]):
    receives_bijstand = serializers.BooleanField()
    bijstand_start_on = serializers.DateField(required=False, allow_null=True, default=None)
    bijstand_end_on = serializers.DateField(required=False, allow_null=True, default=None)
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=ObligationKind.choices), required=False, max_length=10,
        help_text="Left out: the statutory items (huur, energie, water, zorgverzekering). Others need a reason.",
    )  # fmt: skip
    maatwerk_reason = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class ExtensionWriteSerializer(serializers.Serializer[Any]):
    extended_until_on = serializers.DateField()
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=2_000)


class MachtigingSerializer(serializers.ModelSerializer[Machtiging]):
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Machtiging
        fields: tuple[str, ...] = (
            "id", "kind", "given_on", "document_reference", "consequence_note", "recorded_at", "recorded_by",
        )  # fmt: skip
        read_only_fields = fields


class MachtigingWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=MachtigingKind.choices)
    given_on = serializers.DateField()
    document_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    consequence_note = serializers.CharField(
        max_length=2_000, required=False, allow_blank=True, default="",
        help_text="Required for refused and withdrawn: what follows (a Pw 18 maatregel is the bijstand suite's).",
    )  # fmt: skip


class ObligationSerializer(serializers.ModelSerializer[Obligation]):
    class Meta:
        model = Obligation
        fields: tuple[str, ...] = (
            "id", "kind", "creditor_name", "iban", "bic", "creditor_reference", "polisnummer", "description",
            "amount_cents", "day_of_month", "start_on", "end_on", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class ObligationWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    creditor_name = serializers.CharField(max_length=70)
    iban = serializers.CharField(
        max_length=42, required=False, allow_blank=True, default="",
        help_text="Checked with schwifty (checksum and the country's format); SEPA countries only. Blank: not known.",
    )  # fmt: skip
    bic = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    creditor_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    polisnummer = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Required for zorgverzekering."
    )
    description = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    amount_cents = serializers.IntegerField(help_text=CENTS_HELP)
    day_of_month = serializers.IntegerField(help_text="1 to 28.")
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, default=None)


class ObligationChangeSerializer(ObligationWriteSerializer):
    changed_from = serializers.DateField(
        required=False, help_text="Needed when the amount changes: the first day the new amount applies."
    )


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    end_to_end_id = serializers.CharField(source="payment.end_to_end_id", read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields: tuple[str, ...] = (
            "id", "kind", "amount_cents", "period", "obligation", "run", "payment", "end_to_end_id", "corrects",
            "note", "booked_on", "created_at",
        )  # fmt: skip
        read_only_fields = fields


class WorklistRecordSerializer(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(source="client_file_id")
    person_name = serializers.CharField(source="client_file.person.full_name")
    start_on = serializers.DateField()
    end_on = serializers.DateField()


class WorklistObligationSerializer(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(source="client_file_id")
    person_name = serializers.CharField(source="client_file.person.full_name")
    obligation_id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    creditor_name = serializers.CharField()
    missing_iban = serializers.SerializerMethodField()
    missing_machtiging = serializers.SerializerMethodField()

    def get_missing_iban(self, obligation: Obligation) -> bool:
        return not obligation.iban

    def get_missing_machtiging(self, obligation: Obligation) -> bool:
        return not getattr(obligation, "has_machtiging", False)


class WorklistSerializer(serializers.Serializer[Any]):
    starting_this_month = WorklistRecordSerializer(many=True)
    ending_soon = WorklistRecordSerializer(many=True, help_text="Ends within 60 days.")
    missing_iban_or_machtiging = WorklistObligationSerializer(many=True)


class AccountSerializer(serializers.ModelSerializer[OntzorgenSettings]):
    class Meta:
        model = OntzorgenSettings
        fields: tuple[str, ...] = ("debtor_name", "debtor_iban", "debtor_bic", "updated_at")
        read_only_fields = fields


class AccountWriteSerializer(serializers.Serializer[Any]):
    debtor_name = serializers.CharField(max_length=70)
    debtor_iban = serializers.CharField(max_length=42)
    debtor_bic = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    client_id = serializers.IntegerField(source="client_file_id", read_only=True)

    class Meta:
        model = Payment
        fields: tuple[str, ...] = (
            "id", "end_to_end_id", "client_id", "obligation", "amount_cents", "creditor_name", "iban", "bic",
            "remittance", "due_on", "includes_correction",
        )  # fmt: skip
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer[PaymentRun]):
    built_by = serializers.CharField(source="built_by.display_name", read_only=True)
    approved_by = serializers.CharField(source="approved_by.display_name", read_only=True, allow_null=True)
    payment_count = serializers.IntegerField(read_only=True)
    total_cents = serializers.IntegerField(read_only=True)
    file_available = serializers.SerializerMethodField()

    class Meta:
        model = PaymentRun
        fields: tuple[str, ...] = (
            "id", "month", "status", "debtor_name", "debtor_iban", "built_at", "built_by", "approved_at",
            "approved_by", "payment_count", "total_cents", "file_available",
        )  # fmt: skip
        read_only_fields = fields

    def get_file_available(self, run: PaymentRun) -> bool:
        return run.status == RunStatus.APPROVED and int(getattr(run, "payment_count", 0)) > 0


class RunDetailSerializer(RunSerializer):
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta(RunSerializer.Meta):
        fields = (*RunSerializer.Meta.fields, "payments")
        read_only_fields = fields


class RunBuildSerializer(serializers.Serializer[Any]):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", max_length=7, help_text="The month, e.g. 2026-12.")


# ---------------------------------------------------------------------------------------------------------------
# Views
