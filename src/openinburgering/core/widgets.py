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
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")


class LongSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = set(self.format_value(value))
        rows = []
        for option, label in self.choices:
            text = "" if option is None else str(option)
            rows.append((text, SELECTED if text in chosen else "", label))
            chosen.discard(text)  # like Django: only the first matching option is selected
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


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
