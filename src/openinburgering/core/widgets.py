"""Form widgets.

``LongSelect`` renders a ``<select>`` in Python instead of one template per ``<option>``: Django's own Select
renders ``select_option.html`` for every choice, which made the teamleider's caseload spend most of its time on
two lists of hundreds of klantregisseurs (bench: 100k clients, 667 klantregisseurs). The HTML is the same as
Django's (tests/core/test_widgets.py compares them); flat choices only (no optgroups).

``PrerenderedSelect`` goes one step further for lists that change seldom (the team caseload's caseworkers, #18): its
``<option>``s are rendered once by ``render_options`` and kept by the caller; a request only marks its chosen option.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


class LongSelect(forms.Select):
    """A ``<select>`` whose ``<option>``s are written in Python and kept per process for the same values and labels
    (#18: escaping and formatting them was most of the caseload filters' rendering); a request only marks its
    chosen option, the first option with that value, as Django's Select does."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        options = _options_html(self.choices)
        for text in dict.fromkeys(self.format_value(value)):
            marker = f'<option value="{escape(text)}">'
            options = options.replace(marker, f'<option value="{escape(text)}" selected>', 1)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308 -- escaped by _options_html


_KEPT_OPTIONS: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}
_KEPT_MAX = 128


def _options_html(choices: Iterable[tuple[Any, Any]]) -> str:
    """The ``<option>``s of flat ``choices``, none selected, each value and label escaped as Django's Select escapes
    them (conditional_escape). Kept per process, keyed by the language and each value and label: a text label by
    its text and class (a safe label is not escaped), a lazy label (a translation) by its identity, kept alive with
    the entry so that its id cannot stand for another label while the entry exists. Other labels: written each time.
    """
    rows = [("" if option is None else str(option), label) for option, label in choices]
    key_parts: list[Any] = [get_language()]
    for text, label in rows:
        if isinstance(label, str):
            key_parts.append((text, label.__class__, label))
        elif isinstance(label, Promise):
            key_parts.append((text, Promise, id(label)))
        else:
            return _write_options(rows)
    key = tuple(key_parts)
    kept = _KEPT_OPTIONS.get(key)
    if kept is None:
        if len(_KEPT_OPTIONS) >= _KEPT_MAX:
            _KEPT_OPTIONS.clear()
        kept = _KEPT_OPTIONS[key] = (tuple(label for _, label in rows), _write_options(rows))
    return kept[1]


def _write_options(rows: list[tuple[str, Any]]) -> str:
    return "".join(
        f'<option value="{conditional_escape(text)}">{conditional_escape(label)}</option>' for text, label in rows
    )


def render_options(choices: Iterable[tuple[Any, Any]]) -> SafeString:
    """``<option>``s of flat choices, none selected, escaped as Django's Select escapes them."""
    return mark_safe(  # noqa: S308 -- every value and label is escaped here
        "".join(
            f'<option value="{escape("" if value is None else value)}">{escape(label)}</option>'
            for value, label in choices
        )
    )


class PrerenderedSelect(forms.Select):
    """A ``<select>`` of options rendered beforehand (``render_options``, set as ``widget.rendered_options``): only
    the first option with the chosen value gets ``selected``, as in Django's Select. ``choices`` are not used to
    render."""

    rendered_options: SafeString = mark_safe("")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        options = str(self.rendered_options)
        for text in self.format_value(value)[:1]:
            marker = f'<option value="{escape(text)}">'
            options = options.replace(marker, f'<option value="{escape(text)}" selected>', 1)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308 -- options were escaped by render_options


class RadioButtons(forms.RadioSelect):
    """Radio buttons with the NL Design System class on each ``<input>`` only. Django puts a widget's ``attrs`` on
    the wrapper ``<div>`` too, where the radio-button class makes a 24 px box that the options overflow."""

    input_class = "utrecht-radio-button utrecht-radio-button--html-input"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        option["attrs"]["class"] = self.input_class
        return option
