from __future__ import annotations

from typing import Any

from rest_framework import serializers


class GemeenteRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class RoleRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class TokenInfoSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.Serializer[Any]):
    """Who the request acts as: the user, the gemeente and role of the token's (or session's) membership."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    gemeente = GemeenteRefSerializer()
    role = RoleRefSerializer()
    team = serializers.CharField(allow_null=True)
    capabilities = serializers.ListField(child=serializers.CharField())
    authenticated_by = serializers.ChoiceField(choices=(("token", "token"), ("session", "session")))
    token = TokenInfoSerializer(allow_null=True)
