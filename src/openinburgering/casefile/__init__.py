"""Reads across the domain apps about one client file: its summary (``casefile.summary``) and its timeline
(``casefile.timeline``).

This package sits above the domain apps (clients, households, intakes, plans, letters, providers, handhaving,
progress, followup, signals) and imports them; none of them imports it. It has no models. The pages and the API
use it, so the file page, the worklists and the API say the same thing about a file (issue #11).
"""
