"""What an OPTIONS request answers (issue #12, item 9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:  # rest_framework.views imports this module through the settings
    from rest_framework.views import APIView


class EndpointMetadata(SimpleMetadata):
    """Name, description and media types of an endpoint, without DRF's form description of the body ("actions").

    DRF builds "actions" from `view.get_serializer()`, which our views do not have (they pick a serializer per
    method and call services), so it raised a 500. The request and response bodies are described in
    openapi.yaml; the `Allow` header lists the methods."""

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
