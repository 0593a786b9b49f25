"""Errors raised by the rules module."""

from __future__ import annotations


class RuleInputError(ValueError):
    """An input that no rule can apply the law to: out of range, inconsistent, or missing where needed.

    The scenario runner reports it as the scenario's failure; the Django app maps it to a validation error.
    """
