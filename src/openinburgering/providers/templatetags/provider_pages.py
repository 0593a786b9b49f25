from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile
from openinburgering.clients.worklist import url_maker

from ..access import may_change_placements
from ..selectors import enrolments_of_file

register = template.Library()


@register.inclusion_tag("providers/_file_section.html", takes_context=True)
def enrolment_section(context: template.Context, client_file: ClientFile) -> dict[str, Any]:
    """The plaatsingen block of the file page (one query). The link to place someone shows only for a role that
    may change the voortgang here, the check `providers.views.enrolment_create` makes through access_client_file
    (#11, #12 item 1)."""
    enrolments = list(enrolments_of_file(client_file))
    enrolment_url = url_maker("providers:enrolment", "enrolment_id", file_id=client_file.pk)  # reversed once (#18)
    for enrolment in enrolments:
        setattr(enrolment, "url", enrolment_url(enrolment.pk))  # noqa: B010 -- for the template
    return {
        "client_file": client_file,
        "enrolments": enrolments,
        "can_change": may_change_placements(context.get("actor")),
    }
