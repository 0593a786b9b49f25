"""``{% form_field field %}``: one form field as partials/field.html renders it, built in Python (#18).

An ``{% include "partials/field.html" with field=... %}`` per field costs a template context, a node walk and some
twenty variable lookups; on the caseload pages (eight fields) that was about a fifth of the page's CPU. This tag gives
the same HTML, character for character: label, "(niet verplicht)", hint and error with the ids the widget's
aria-describedby points at, a fieldset with a legend for radio and checkbox groups.
tests/core/test_form_field.py renders fields both ways (empty, filled, with errors) and compares the strings, so a
change to partials/field.html that is not made here too fails there. Pages with few fields keep the include.
"""

from __future__ import annotations

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _optional(field: forms.BoundField) -> str:
    if field.field.required or getattr(field.field, "required_by_service", False):
        return ""
    return '<span class="app-optional">(niet verplicht)</span>'


def _help(field: forms.BoundField, auto_id: str, indent: str) -> str:
    if not field.help_text:
        return ""
    return (
        f'\n{indent}  <div class="utrecht-form-field-description utrecht-form-field__description"'
        f'\n{indent}       id="{auto_id}_helptext">{conditional_escape(field.help_text)}</div>\n{indent}'
    )


def _errors(field: forms.BoundField, auto_id: str, indent: str) -> str:
    errors = field.errors
    if not errors:
        return ""
    items = "".join(
        f'\n{indent}      <p class="utrecht-paragraph">'
        f'\n{indent}        <span class="app-visually-hidden">Fout:</span> {conditional_escape(str(error))}'
        f"\n{indent}      </p>\n{indent}    "
        for error in errors
    )
    return (
        f'\n{indent}  <div class="utrecht-form-field-error-message utrecht-form-field__error-message"'
        f'\n{indent}       id="{auto_id}_error">\n{indent}    {items}\n{indent}  </div>\n{indent}'
    )


def field_html(field: forms.BoundField) -> SafeString:
    """The HTML of partials/field.html for ``field``."""
    if field.is_hidden:
        return mark_safe(f"\n\n  {field}\n\n")  # noqa: S308 -- the widget's own escaped HTML
    invalid = " utrecht-form-field--invalid" if field.errors else ""
    auto_id = conditional_escape(field.auto_id)
    label = conditional_escape(field.label)
    if field.use_fieldset:
        describedby = ""
        if field.help_text or field.errors:
            ids = " ".join(
                part
                for part in (
                    f"{auto_id}_helptext" if field.help_text else "",
                    f"{auto_id}_error" if field.errors else "",
                )
                if part
            )
            describedby = f'aria-describedby="{ids}"'
        aria_invalid = 'aria-invalid="true"' if field.errors else ""
        html = (
            f'\n\n  <div class="utrecht-form-field utrecht-form-field--distanced{invalid}">'
            f'\n    <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"'
            f"\n              {describedby}"
            f"\n              {aria_invalid}>"
            f'\n      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend'
            f' utrecht-form-label">\n        {label}\n        {_optional(field)}\n      </legend>\n      '
            f"{_help(field, auto_id, '      ')}\n      {_errors(field, auto_id, '      ')}"
            f'\n      <div class="utrecht-form-field__input app-choices">{field}</div>\n    </fieldset>\n  </div>\n\n'
        )
        return mark_safe(html)  # noqa: S308 -- every value escaped above, the widget's own HTML
    for_label = conditional_escape(field.id_for_label)
    if field.widget_type == "checkbox":
        html = (
            '\n\n  <div class="utrecht-form-field utrecht-form-field--checkbox utrecht-form-field--distanced'
            f'{invalid}">'
            f'\n    <div class="utrecht-form-field__input">{field}</div>'
            f'\n    <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">'
            f'\n      <label class="utrecht-form-label utrecht-form-label--checkbox" for="{for_label}">{label}</label>'
            f"\n    </div>\n    {_help(field, auto_id, '    ')}\n    {_errors(field, auto_id, '    ')}\n  </div>\n\n"
        )
        return mark_safe(html)  # noqa: S308 -- every value escaped above, the widget's own HTML
    html = (
        f'\n\n  <div class="utrecht-form-field utrecht-form-field--text utrecht-form-field--distanced{invalid}">'
        f'\n    <div class="utrecht-form-field__label">'
        f'\n      <label class="utrecht-form-label" for="{for_label}">\n        {label}\n        {_optional(field)}'
        f"\n      </label>\n    </div>\n    {_help(field, auto_id, '    ')}\n    {_errors(field, auto_id, '    ')}"
        f'\n    <div class="utrecht-form-field__input">{field}</div>\n  </div>\n\n'
    )
    return mark_safe(html)  # noqa: S308 -- every value escaped above, the widget's own HTML


@register.simple_tag
def form_field(field: forms.BoundField) -> SafeString:
    return field_html(field)
