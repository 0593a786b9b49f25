"""An appointment as an iCalendar file (RFC 5545), for the client's own calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .selectors import Appointment

PRODID = "-//Open Inburgering//Mijn Inburgering//NL"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def appointment_ics(appointment: Appointment, *, summary: str, description: str, host: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.kind}-{appointment.id}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
    ]
    if appointment.starts_at is not None:
        lines += [f"DTSTART:{_utc(appointment.starts_at)}", f"DTEND:{_utc(appointment.starts_at + timedelta(hours=1))}"]
    else:
        lines += [
            f"DTSTART;VALUE=DATE:{appointment.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{appointment.day + timedelta(days=1):%Y%m%d}",
        ]
    lines.append(f"SUMMARY:{_escape(summary)}")
    if appointment.location:
        lines.append(f"LOCATION:{_escape(appointment.location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"
