"""The items of a form's error summary (partials/form_errors.html), NL Design System pattern: every error of the
form and of its formsets counted once and, where there is a field to go to, linked to it (#11)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    text: str
    target: str  # the id of the field to go to, "" when there is none (a hidden field)


def _field_target(field: forms.BoundField) -> str:
    return str(field.id_for_label or field.auto_id or "")


def _first_target(form: forms.BaseForm) -> str:
    visible = form.visible_fields()
    return _field_target(visible[0]) if visible else ""


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    """Errors of the whole form first (linked to its first field), then each field's errors in field order. A form
    may name its group with ``error_group`` ("Afspraak 2"), so the same label in two rows can be told apart."""
    group = str(getattr(form, "error_group", "") or "")
    first = _first_target(form)
    items = [ErrorItem(f"{group}: {error}" if group else str(error), first) for error in form.non_field_errors()]
    for field in form:
        label = f"{group}, {field.label}" if group else str(field.label)
        target = "" if field.is_hidden else _field_target(field)
        items.extend(ErrorItem(f"{label}: {error}", target) for error in field.errors)
    return items


@register.simple_tag
def error_items(form: Any, formsets: Iterable[Any] | None = None) -> list[ErrorItem]:
    """Every error of ``form`` and of the formsets after it, in page order (formsets render below the form)."""
    items = _form_items(form) if isinstance(form, forms.BaseForm) else []
    for formset in formsets or ():
        if not isinstance(formset, forms.BaseFormSet):
            continue
        first_form = formset.forms[0] if formset.forms else None
        first = _first_target(first_form) if first_form is not None else ""
        items.extend(ErrorItem(str(error), first) for error in formset.non_form_errors())
        for member in formset.forms:
            items.extend(_form_items(member))
    return items
