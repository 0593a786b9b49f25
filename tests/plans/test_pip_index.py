"""The PIP page's one query (plans.selectors.pip_index_of, #18) lists what versions_of and progress_talks_of read:
the same versions newest first with their status, leerroute, dagtekening and people, and the same voortgangsgesprekken
in order, held or not."""

from __future__ import annotations

import pytest

from openinburgering.core.dates import today
from openinburgering.plans import selectors, services
from openinburgering.plans.models import ProgressTalk

pytestmark = pytest.mark.django_db


def _expected(client_file):
    versions = [
        (v.pk, v.number, v.get_status_display(), v.get_leerroute_display(), v.dagtekening_on,
         v.drafted_by.display_name, v.approved_by.display_name if v.approved_by else "")
        for v in selectors.versions_of(client_file)
    ]  # fmt: skip
    talks = [(t.pk, t.planned_on, t.held_on, t.summary) for t in selectors.progress_talks_of(client_file)]
    return versions, talks


def _listed(client_file):
    rows = selectors.pip_index_of(client_file)
    versions = [
        (v.pk, v.number, v.status_label, v.leerroute_label, v.dagtekening_on, v.drafted_by, v.approved_by)
        for v in rows.versions
    ]
    return versions, [(t.pk, t.planned_on, t.held_on, t.summary) for t in rows.talks]


def test_the_page_lists_the_versions_and_talks_of_the_selectors(pip_file, vastgesteld, actor, staff):
    client_file = pip_file()
    assert _listed(client_file) == ([], [])
    current = vastgesteld(client_file)  # two voortgangsgesprekken planned
    staff["kim"].first_name, staff["kim"].last_name = "", ""  # a name-less user shows the username
    staff["kim"].save(update_fields=["first_name", "last_name"])
    talk = ProgressTalk.objects.filter(client_file=client_file).order_by("planned_on").first()
    assert talk is not None
    services.record_progress_talk(actor=actor("kim"), client_file=client_file, talk=talk, held_on=today(),
                                  summary="Het gaat goed.\nVolgende keer over werk.")  # fmt: skip
    ProgressTalk.objects.create(client_file=client_file, version=current, planned_on=talk.planned_on,
                                created_at=talk.created_at)  # fmt: skip  # same day: ordered by id
    draft = services.create_draft(actor=actor("kim"), client_file=client_file)
    draft.leerroute = ""
    draft.save(update_fields=["leerroute"])
    versions, talks = _expected(client_file)
    assert [row[1] for row in versions] == [2, 1]
    assert versions[0][2:] == ("Concept", "", None, "kim", "")  # no leerroute chosen, not approved; the username
    assert versions[1][2] == "Vastgesteld"
    assert versions[1][6] == staff["tamara"].display_name
    assert [(row[1], row[2]) for row in talks[:2]] == [(talks[0][1], today()), (talks[0][1], None)]  # same day
    assert len(talks) == 3
    assert _listed(client_file) == (versions, talks)
