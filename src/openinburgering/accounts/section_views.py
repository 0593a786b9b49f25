"""The functioneel beheerder's page for the need-to-know matrix: per role and section of a file, what the gemeente
allows (never more than the legal maximum). #12 item 1."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.core.errors import ApplicationError

from .roles import Capability
from .section_limits import matrix_for, set_section_access
from .sections import Access
from .views import _require, manager_view
from .web import request_actor


@manager_view
@require_http_methods(["GET", "POST"])
def section_matrix(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    _require(actor, Capability.MANAGE_STAFF)
    error = ""
    if request.method == "POST":
        try:
            access = int(request.POST.get("access", ""))
        except ValueError:
            access = -1
        try:
            with transaction.atomic():
                set_section_access(
                    actor=actor,
                    role_code=request.POST.get("role", ""),
                    section=request.POST.get("section", ""),
                    access=access,
                )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, "De toegang is aangepast.")
            return HttpResponseRedirect(reverse("accounts:section-matrix"))
    cells = matrix_for(actor)
    rows: dict[str, list[object]] = {}
    for cell in cells:
        rows.setdefault(str(cell.role.label), []).append(
            {
                "cell": cell,
                "choices": [(value, label) for value, label in Access.choices if value <= cell.maximum],
            }
        )
    context = {"actor": actor, "rows": rows, "error": error}
    return render(request, "accounts/section_matrix.html", context, status=400 if error else 200)
