"""Serializers: request bodies are checked for types and formats here; business rules live in the services."""
