"""partials/form.html (csrf token, optional hidden "action", error summary, every field, primary button) renders what
the block it replaced rendered in 21 forms (reclaim, obligation, account, settings, netwerk, providers, …): the
same HTML but for the indentation, unbound, filled and with errors, with and without the hidden action, with
the error summary of a form with a prefix and with a non-field error. No template writes the block out again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template

from tests.core.test_form_field import EveryKindForm

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "openinburgering"

# The block as the templates wrote it before (ontzorgen/obligation_form.html, retention/holds.html with its action).
INLINE = Template(
    """{% csrf_token %}
{% if action %}<input type="hidden" name="action" value="{{ action }}">{% endif %}
{% include "partials/form_errors.html" with form=the_form %}
{% for field in the_form %}
    {% include "partials/field.html" with field=field %}
{% endfor %}
<button type="submit"
        class="utrecht-button utrecht-button--primary-action utrecht-button--html-button">
    {{ label }}
</button>"""
)
PARTIAL = Template(
    '{% if action %}{% include "partials/form.html" with form=the_form form_button=label form_action=action %}'
    '{% else %}{% include "partials/form.html" with form=the_form form_button=label %}{% endif %}'
)


class WholeFormError(EveryKindForm):
    def clean(self):
        raise forms.ValidationError("Dit past niet bij elkaar.")


def _normal(html: str) -> str:
    """HTML with the white space between and around tags taken out (indentation is all that may differ)."""
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", re.sub(r"\s+", " ", html))).strip()


FILLED = {"name": "Anna", "note": "fout", "agree": "on", "route": "b1", "days": ["ma"], "secret": "x"}


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda: EveryKindForm(), id="unbound"),
        pytest.param(lambda: EveryKindForm(data={}), id="empty-with-errors"),
        pytest.param(lambda: EveryKindForm(data=FILLED), id="filled-with-field-errors"),
        pytest.param(lambda: EveryKindForm(data={f"p-{k}": v for k, v in FILLED.items()}, prefix="p"), id="prefix"),
        pytest.param(lambda: WholeFormError(data={**FILLED, "note": ""}), id="non-field-error"),
    ],
)
@pytest.mark.parametrize("action", ["", "set"])
def test_the_partial_renders_what_the_inline_block_rendered(form, action):
    context = {"the_form": form(), "label": "Legal hold zetten", "action": action, "csrf_token": "token"}
    inline = INLINE.render(Context(context))
    partial = PARTIAL.render(Context(context))
    assert "Legal hold zetten" in partial
    assert ('name="action" value="set"' in partial) == bool(action)
    assert _normal(partial) == _normal(inline)


BLOCK = re.compile(
    r'\{% csrf_token %\}\s*(?:<input type="hidden"[^>]*>\s*)*'
    r'\{% include "partials/form_errors.html" with form=(\w+) %\}\s*\{% for (\w+) in \1 %\}\s*'
    r'\{% include "partials/field.html" with field=\2 %\}\s*\{% endfor %\}\s*<button type="submit"\s*'
    r'class="utrecht-button utrecht-button--primary-action utrecht-button--html-button">'
)


def test_no_template_writes_the_block_out_again():
    """A form with a secondary button or a button with a name (plans/version.html, handhaving/propose.html) keeps
    its own block; a GET form without the csrf token (netwerk/kaart_search.html) is not the same shape."""
    repeats = [
        str(path.relative_to(TEMPLATES)) for path in sorted(TEMPLATES.rglob("*.html")) if BLOCK.search(path.read_text())
    ]
    assert repeats == []
