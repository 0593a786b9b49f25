"""Valid synthetic BSNs from a reserved range (999xxxxxx, the range RvIG test sets use:
they are generated, pass the elfproef, and are never taken from real people)."""

from __future__ import annotations

from collections.abc import Iterator

from openinburgering.core.bsn import is_valid_bsn


def bsn_sequence(start: int = 999_000_000) -> Iterator[str]:
    number = start
    while True:
        candidate = f"{number:09d}"
        number += 1
        if is_valid_bsn(candidate):
            yield candidate
