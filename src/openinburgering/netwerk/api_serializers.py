"""Serializers of the zorg-en-netwerk API (``netwerk.api``): what the endpoints read and answer. Checks that
decide (consent, the sociale kaart, the transitions) live in the services, never here."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from openinburgering.intakes.choices import Leefgebied

from . import selectors
from .models import (
    BegeleidingEntry,
    BegeleidingKind,
    BuddyKind,
    BuddyMatch,
    ContactRole,
    HandoverPackage,
    Offer,
    Referral,
    ReferralStatus,
    Urgency,
)
from .package import PACKAGE_SECTIONS


class OfferSerializer(serializers.ModelSerializer[Offer]):
    organisation = serializers.CharField(source="organisation.name")
    shared_in_region = serializers.SerializerMethodField(help_text="Shared by every gemeente of the region.")
    languages = serializers.ListField(child=serializers.CharField(), source="language_list")

    class Meta:
        model = Offer
        fields = [
            "id", "organisation", "shared_in_region", "name", "theme", "target_group", "languages", "contact",
            "address", "place", "opening_hours", "waiting_weeks", "intake_criteria",
        ]  # fmt: skip

    def get_shared_in_region(self, offer: Offer) -> bool:
        return offer.organisation.region_id is not None


class OfferQuerySerializer(serializers.Serializer[Any]):
    theme = serializers.ChoiceField(choices=Leefgebied.choices, required=False)
    language = serializers.CharField(required=False, max_length=50)
    place = serializers.CharField(required=False, max_length=100)
    q = serializers.CharField(required=False, max_length=100, help_text="Part of the offer's or organisation's name.")


class OfferWriteSerializer(serializers.Serializer[Any]):
    """The columns of the CSV (``netwerk.kaart``), checked by the same function as an imported row."""

    organisatie = serializers.CharField(max_length=200)
    gedeeld_in_regio = serializers.BooleanField(default=False)
    aanbod = serializers.CharField(max_length=200)
    leefgebied = serializers.ChoiceField(choices=Leefgebied.choices)
    doelgroep = serializers.CharField(required=False, allow_blank=True, max_length=200)
    talen = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    adres = serializers.CharField(required=False, allow_blank=True, max_length=200)
    plaats = serializers.CharField(required=False, allow_blank=True, max_length=100)
    openingstijden = serializers.CharField(required=False, allow_blank=True, max_length=200)
    wachttijd_weken = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=104)
    toelatingscriteria = serializers.CharField(required=False, allow_blank=True, max_length=2_000)


class ReferralConsentSerializer(serializers.Serializer[Any]):
    purpose = serializers.CharField()
    recipient = serializers.CharField(source="recipient.name")
    sections = serializers.ListField(child=serializers.CharField())
    given_by = serializers.CharField()
    given_on = serializers.DateField()
    basis = serializers.CharField()
    withdrawn_on = serializers.SerializerMethodField()

    def get_withdrawn_on(self, consent: Any) -> str | None:
        withdrawal = getattr(consent, "withdrawal", None)
        return withdrawal.withdrawn_on.isoformat() if withdrawal is not None else None


class HistorySerializer(serializers.Serializer[Any]):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    message = serializers.CharField()
    changed_at = serializers.DateTimeField()


class PackageSerializer(serializers.Serializer[Any]):
    sections = serializers.ListField(child=serializers.CharField())
    content = serializers.JSONField(help_text="Per section: {title, lines: [[label, value], ...]}. A snapshot.")
    built_at = serializers.DateTimeField()
    acknowledged_at = serializers.SerializerMethodField()

    def get_acknowledged_at(self, package: HandoverPackage) -> str | None:
        receipt = getattr(package, "receipt", None)
        return receipt.acknowledged_at.isoformat() if receipt is not None else None


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    client_id = serializers.IntegerField(source="client_file_id")
    offer = serializers.CharField(source="offer.name")
    organisation = serializers.CharField(source="organisation.name")
    consent = ReferralConsentSerializer(allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id", "client_id", "offer", "organisation", "theme", "question", "urgency", "status", "follow_up_on",
            "created_at", "sent_at", "answered_at", "escalated_at", "consent",
        ]  # fmt: skip


class ReferralDetailSerializer(ReferralSerializer):
    package = PackageSerializer(allow_null=True)
    history = HistorySerializer(many=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "package", "history"]


class ReferralCreateSerializer(serializers.Serializer[Any]):
    """Checked by ``netwerk.services.create_referral``, which names every wrong field in Dutch at once."""

    offer = serializers.IntegerField(help_text="An offer of the gemeente's sociale kaart (own or regional).")
    question = serializers.CharField(required=False, allow_blank=True, max_length=2_000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAAL)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PACKAGE_SECTIONS)), required=False, default=list,
        help_text="The data set of the package; gezondheid only with the file's standing health consent.",
    )  # fmt: skip
    consent_given_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent_given_on = serializers.DateField(required=False, allow_null=True)
    consent_basis = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent_confirmed = serializers.BooleanField(default=False, help_text="The client consented: required (400).")


class WithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField(required=False, help_text="Default today.")


class FollowUpSerializer(serializers.Serializer[Any]):
    follow_up_on = serializers.DateField(allow_null=True, help_text="After today; null: nothing to follow up.")


class PartnerReferralSerializer(serializers.ModelSerializer[Referral]):
    """What a partner sees: the question and the package. No client id, nothing else of the file."""

    offer = serializers.CharField(source="offer.name")
    name = serializers.SerializerMethodField(help_text="From the package, when the client shared the basis section.")

    class Meta:
        model = Referral
        fields = ["id", "offer", "name", "question", "urgency", "status", "sent_at", "answered_at"]

    def get_name(self, referral: Referral) -> str:
        return selectors.package_name(referral)


class PartnerReferralDetailSerializer(PartnerReferralSerializer):
    package = PackageSerializer(allow_null=True)
    history = HistorySerializer(many=True)

    class Meta(PartnerReferralSerializer.Meta):
        fields = [*PartnerReferralSerializer.Meta.fields, "package", "history"]


class TransitionSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, help_text="geaccepteerd, geweigerd, gestart, afgerond or teruggemeld."
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=2_000,
        help_text="Required for geweigerd (the reason), afgerond and teruggemeld (the report).",
    )  # fmt: skip


class ContactEntrySerializer(serializers.Serializer[Any]):
    role = serializers.CharField()
    about = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    reach = serializers.CharField()


class ContactCreateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=ContactRole.choices)
    about = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200)
    reach = serializers.CharField(max_length=200)


class BegeleidingSerializer(serializers.ModelSerializer[BegeleidingEntry]):
    recorded_by = serializers.CharField(source="recorded_by.display_name")

    class Meta:
        model = BegeleidingEntry
        fields = ["id", "kind", "on", "text", "recorded_at", "recorded_by"]


class BegeleidingCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=BegeleidingKind.choices)
    on = serializers.DateField()
    text = serializers.CharField(max_length=2_000)


class BuddySerializer(serializers.ModelSerializer[BuddyMatch]):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = BuddyMatch
        fields = ["id", "kind", "organisation", "volunteer_name", "volunteer_contact", "started_on", "ended_on"]


class BuddyCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=BuddyKind.choices)
    organisation = serializers.IntegerField(help_text="An organisation of the gemeente's sociale kaart.")
    volunteer_name = serializers.CharField(max_length=200)
    volunteer_contact = serializers.CharField(max_length=200)
    started_on = serializers.DateField()


class BegeleiderSerializer(serializers.Serializer[Any]):
    begeleider = serializers.IntegerField(allow_null=True, help_text="A maatschappelijk begeleider's user id; null.")


class BuddyEndSerializer(serializers.Serializer[Any]):
    ended_on = serializers.DateField()


class CaseloadRowSerializer(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.full_name")
    latest_on = serializers.DateField(allow_null=True, help_text="Date of the newest begeleiding entry.")
    latest_kind = serializers.CharField(allow_null=True)


class FollowUpRowSerializer(serializers.ModelSerializer[Referral]):
    client_id = serializers.IntegerField(source="client_file_id")
    name = serializers.CharField(source="client_file.person.full_name")
    offer = serializers.CharField(source="offer.name")
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Referral
        fields = ["id", "client_id", "name", "offer", "organisation", "status", "follow_up_on", "escalated_at"]


class ThemeCountSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField()
    theme_label = serializers.CharField(source="label")
    count = serializers.IntegerField()


class PartnerFiguresSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    sent = serializers.IntegerField()
    accepted = serializers.IntegerField()
    refused = serializers.IntegerField()
    acceptance_percent = serializers.IntegerField(allow_null=True, help_text="Accepted of those answered.")
    average_days_to_accept = serializers.FloatField(allow_null=True)


class FiguresSerializer(serializers.Serializer[Any]):
    by_theme = ThemeCountSerializer(many=True)
    partners = PartnerFiguresSerializer(many=True)
