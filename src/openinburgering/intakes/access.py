"""Doors to the intake objects: always through their client file (``access_client_file``), so missing, another
gemeente and a missing capability all answer 404."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import Intake, IntakeCall, LearnabilityTest

M = TypeVar("M", bound=models.Model)


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def _child(model: type[M], client_file: ClientFile, object_id: int | str, *, for_write: bool, **related: str) -> M:
    queryset = model._default_manager.filter(pk=_pk(object_id), client_file=client_file)
    if related.get("select"):
        queryset = queryset.select_related(related["select"])
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    found = queryset.first()
    if found is None:
        raise NotFound()
    found.client_file = client_file  # type: ignore[attr-defined]  # the accessed file, with its person loaded
    return found


def access_call(actor: Actor | None, file_id: int | str, call_id: int | str, *, for_write: bool = False) -> IntakeCall:
    client_file = access_client_file(actor, file_id, for_write=for_write, section=Section.INTAKE)
    return _child(IntakeCall, client_file, call_id, for_write=for_write)


def access_intake(actor: Actor | None, file_id: int | str, intake_id: int | str, *, for_write: bool = False) -> Intake:
    client_file = access_client_file(actor, file_id, for_write=for_write, section=Section.INTAKE)
    return _child(Intake, client_file, intake_id, for_write=for_write, select="person")


def access_lbt(
    actor: Actor | None, file_id: int | str, lbt_id: int | str, *, for_write: bool = False
) -> LearnabilityTest:
    client_file = access_client_file(actor, file_id, for_write=for_write, section=Section.INTAKE)
    return _child(LearnabilityTest, client_file, lbt_id, for_write=for_write)
