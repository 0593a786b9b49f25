"""The Verwerkingenlogging API's ``Actie`` (VNG, logging-verwerkingen-api 0.1.0), field names as in the standard,
and the register of processing activities (audit.processing)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from openinburgering.accounts.sections import Section


class VerwerktSoortGegevenSerializer(serializers.Serializer[dict[str, Any]]):
    soortGegeven = serializers.CharField(max_length=80)  # noqa: N815 -- the standard's field name


class VerwerktObjectSerializer(serializers.Serializer[dict[str, Any]]):
    objecttype = serializers.ChoiceField(choices=["Persoon"])
    soortObjectID = serializers.CharField(max_length=80)  # noqa: N815 -- the standard's field name
    objectID = serializers.CharField(max_length=40)  # noqa: N815 -- the standard's field name
    betrokkenheid = serializers.CharField(max_length=80)
    verwerkteSoortenGegevens = VerwerktSoortGegevenSerializer(many=True)  # noqa: N815 -- the standard's field name


class ActieSerializer(serializers.Serializer[Any]):
    """One logged processing of the person's data (read, change, export), as the VNG standard shapes it."""

    ID = serializers.UUIDField(help_text="Stable identifier of this action (one per audit event).")
    naam = serializers.CharField(max_length=80)
    handelingNaam = serializers.ChoiceField(  # noqa: N815 -- the standard's field name
        choices=["Inzien", "Vastleggen", "Verstrekken", "Beveiliging"]
    )
    verwerkingNaam = serializers.CharField(max_length=80)  # noqa: N815 -- the standard's field name
    verwerkingID = serializers.UUIDField()  # noqa: N815 -- the standard's field name
    verwerkingsactiviteitID = serializers.UUIDField()  # noqa: N815 -- the standard's field name
    vertrouwelijkheid = serializers.ChoiceField(choices=["Normaal", "Vertrouwelijk", "Opgeheven"])
    bewaartermijn = serializers.IntegerField(min_value=0, max_value=999)
    uitvoerder = serializers.CharField(min_length=20, max_length=20, required=False)
    systeem = serializers.CharField(max_length=80, required=False)
    gebruiker = serializers.UUIDField(required=False)
    gegevensbron = serializers.CharField(max_length=80, required=False)
    tijdstip = serializers.DateTimeField()
    tijdstipRegistratie = serializers.DateTimeField()  # noqa: N815 -- the standard's field name
    vervallen = serializers.BooleanField()
    verwerkteObjecten = VerwerktObjectSerializer(many=True)  # noqa: N815 -- the standard's field name


class ActieQuerySerializer(serializers.Serializer[dict[str, Any]]):
    beginDatum = serializers.DateField(required=False, help_text="Only actions on or after this day.")  # noqa: N815 -- VNG name
    eindDatum = serializers.DateField(required=False, help_text="Only actions on or before this day.")  # noqa: N815 -- VNG name
    # A choice rather than a BooleanField: DRF reads a boolean missing from a query string as false, and the
    # standard's default is true.
    beperkteSet = serializers.ChoiceField(  # noqa: N815 -- the standard's parameter name
        choices=["true", "false"],
        required=False,
        default="true",
        help_text="true (default): without uitvoerder, systeem, gebruiker and gegevensbron, as for the citizen.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        begin, end = attrs.get("beginDatum"), attrs.get("eindDatum")
        if begin is not None and end is not None and end < begin:
            raise serializers.ValidationError({"eindDatum": "De einddatum ligt vóór de begindatum."})
        return attrs


class ProcessingActivitySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="uuid")
    code = serializers.CharField()
    name = serializers.CharField()
    purpose = serializers.CharField(help_text="Doelbinding.")
    legal_basis = serializers.CharField(help_text="Grondslag.")
    sections = serializers.ListField(child=serializers.ChoiceField(choices=Section.choices))
    recipients = serializers.CharField()
    retention = serializers.CharField()
    confidential = serializers.BooleanField()
