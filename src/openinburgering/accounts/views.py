"""Password change, the gemeente's login rules, staff management and the gemeente audit log (functioneel beheerder)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.labels import event_label
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from . import selectors, services, sso, throttle, two_factor
from .access import access_membership, access_staff_member
from .actor import Actor
from .forms import (
    AuditFilterForm,
    GrantMembershipForm,
    LoginSettingsForm,
    PasswordChangeForm,
    SetPasswordForm,
    StaffCreateForm,
    StaffFilterForm,
    TeamCreateForm,
    add_application_errors,
    wait_text,
)
from .models import User
from .roles import Capability, RoleCode
from .web import request_actor

PURPOSE_SECURITY = "beveiliging"


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.change_password(
                user=request.user,  # type: ignore[arg-type]  # login_required: a User
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                new_password_again=form.cleaned_data["new_password2"],
            )
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Uw wachtwoord is gewijzigd.")
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------------------------
# Staff management and the gemeente audit log (functioneel beheerder). Missing, another gemeente's user and a
# missing capability all answer 404.

STAFF_PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
PURPOSE_AUDIT_REVIEW = "controle op gebruik van persoonsgegevens (auditlog)"


ROLE_NAMES: dict[str, str] = {str(code): str(label) for code, label in RoleCode.choices}
VIA_LABELS = {"ui": "Scherm", "api": "API", "command": "Beheeropdracht", "job": "Automatische taak"}


def manager_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in staff only (anonymous: to the login page); NotFound from access, selectors and services
    becomes a 404, and so does a user without an active membership."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "actor", None) is None:
            raise Http404()
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.can(capability):
        raise NotFound()


@manager_view
@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    _require(actor, Capability.MANAGE_STAFF)
    form = StaffFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    show = data.get("show") or "active"
    queryset = selectors.staff_of_gemeente(actor=actor, query=data.get("q", ""), show=show)
    page = Paginator(queryset, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "is_filtered": bool(data.get("q")) or show != "active"}
    return render(request, "accounts/staff_list.html", context)


def _role_team_choices(actor: Actor) -> dict[str, Any]:
    return {"roles": list(selectors.roles()), "teams": list(selectors.teams_of_gemeente(actor=actor))}


@manager_view
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    _require(actor, Capability.MANAGE_STAFF)
    form = StaffCreateForm(request.POST or None, **_role_team_choices(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_staff_user(
                actor=actor,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"],
                password_again=data["password2"],
                role_code=data["role"],
                team_id=data["team"],
            )
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            messages.success(request, f"{user.display_name} is aangemaakt en kan nu inloggen.")
            return redirect("accounts:staff-detail", user_id=user.pk)
    return render(request, "accounts/staff_create.html", {"form": form}, status=400 if form.errors else 200)


def _staff_detail_page(
    request: HttpRequest,
    actor: Actor,
    user: User,
    *,
    grant_form: GrantMembershipForm | None = None,
    password_form: SetPasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    choices = _role_team_choices(actor)
    wait = throttle.account_wait(username=user.username)
    context = {
        "member": user,
        "memberships": selectors.memberships_here(actor=actor, user=user),
        "works_elsewhere": selectors.works_elsewhere(actor=actor, user=user),
        "grant_form": grant_form or GrantMembershipForm(prefix="grant", **choices),
        "password_form": password_form or SetPasswordForm(prefix="password"),
        "is_self": user.pk == actor.user.pk,
        "has_two_factor": two_factor.has_two_factor(user),
        "login_wait": wait,
        "login_wait_text": wait_text(wait),
    }
    return render(request, "accounts/staff_detail.html", context, status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """The staff member's roles in this gemeente; POST grants a role."""
    actor = request_actor(request)
    user = access_staff_member(actor, user_id)
    if request.method != "POST":
        return _staff_detail_page(request, actor, user)
    form = GrantMembershipForm(request.POST, prefix="grant", **_role_team_choices(actor))
    if form.is_valid():
        try:
            membership = services.grant_membership(
                actor=actor, user=user, role_code=form.cleaned_data["role"], team_id=form.cleaned_data["team"]
            )
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            messages.success(request, f"{user.display_name} heeft nu de rol {membership.role.name}.")
            return redirect("accounts:staff-detail", user_id=user.pk)
    return _staff_detail_page(request, actor, user, grant_form=form, status=400)


@manager_view
@require_POST
def staff_revoke(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    actor = request_actor(request)
    user = access_staff_member(actor, user_id)
    membership = access_membership(actor, user, membership_id)
    try:
        services.revoke_membership(actor=actor, membership=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"De rol {membership.role.name} van {user.display_name} is ingetrokken.")
    return redirect("accounts:staff-detail", user_id=user.pk)


@manager_view
@require_POST
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request_actor(request)
    user = access_staff_member(actor, user_id)
    try:
        services.deactivate_staff_user(actor=actor, user=user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{user.display_name} werkt niet meer voor {actor.gemeente.name}.")
    return redirect("accounts:staff-detail", user_id=user.pk)


@manager_view
@require_POST
def staff_set_password(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request_actor(request)
    user = access_staff_member(actor, user_id)
    form = SetPasswordForm(request.POST, prefix="password")
    if form.is_valid():
        try:
            services.set_staff_password(
                actor=actor,
                user=user,
                password=form.cleaned_data["password1"],
                password_again=form.cleaned_data["password2"],
            )
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            messages.success(request, f"Het nieuwe wachtwoord van {user.display_name} is ingesteld.")
            return redirect("accounts:staff-detail", user_id=user.pk)
    return _staff_detail_page(request, actor, user, password_form=form, status=400)


@manager_view
@require_POST
def staff_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request_actor(request)
    user = access_staff_member(actor, user_id)
    try:
        two_factor.reset_two_factor(actor=actor, user=user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"De tweestapsverificatie van {user.display_name} is gewist. {user.display_name} is overal uitgelogd.",
        )
    return redirect("accounts:staff-detail", user_id=user.pk)


@manager_view
@require_http_methods(["GET", "POST"])
def login_settings(request: HttpRequest) -> HttpResponse:
    """The gemeente's login rules (functioneel beheerder): two-factor login required, and, when single sign-on is
    switched on, whether password login is still allowed."""
    actor = request_actor(request)
    _require(actor, Capability.MANAGE_STAFF)
    gemeente = actor.gemeente
    initial = {"requires_two_factor": gemeente.requires_two_factor, "allows_local_login": gemeente.allows_local_login}
    has_sso = sso.enabled_provider(gemeente_code=gemeente.code) is not None
    form = LoginSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if not has_sso and gemeente.allows_local_login:
        del form.fields["allows_local_login"]
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_login_settings(
                actor=actor,
                requires_two_factor=form.cleaned_data["requires_two_factor"],
                allows_local_login=form.cleaned_data.get("allows_local_login", True),
            )
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            messages.success(request, "De inlogregels zijn opgeslagen." if changed else "Er is niets veranderd.")
            return redirect("accounts:login-settings")
    context = {"form": form, "has_sso": has_sso}
    return render(request, "accounts/login_settings.html", context, status=400 if form.errors else 200)


@manager_view
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    _require(actor, Capability.MANAGE_STAFF)
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(actor=actor, name=form.cleaned_data["name"])
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            messages.success(request, f"Het team {team.name} is aangemaakt.")
            return redirect("accounts:teams")
    context = {"form": form, "teams": list(selectors.teams_of_gemeente(actor=actor))}
    return render(request, "accounts/teams.html", context, status=400 if form.errors else 200)


@manager_view
@require_http_methods(["GET"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """The gemeente's audit log: who did what, when, on which file (by id) and why. Reviewing it is logged."""
    actor = request_actor(request)
    _require(actor, Capability.VIEW_GEMEENTE_AUDIT)
    choices = sorted(((e.code, event_label(e.code)) for e in EVENT_TYPES), key=lambda c: c[1])
    form = AuditFilterForm(request.GET, event_choices=choices)
    data = form.cleaned_data if form.is_valid() else {}
    with transaction.atomic():
        queryset = selectors.audit_log(
            actor=actor, event_type=data.get("event_type", ""), since=data.get("since"), until=data.get("until")
        )
        page = Paginator(queryset, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "event": event,
                "label": event_label(event.event_type),
                "role": ROLE_NAMES.get(event.actor_role, event.actor_role),
                "via": VIA_LABELS.get(event.via, event.via),
            }
            for event in page.object_list
        ]
        record_event(
            actor=actor,
            event_type="gemeente_audit_viewed",
            purpose=PURPOSE_AUDIT_REVIEW,
            changes={
                "filters": {k: str(v) for k, v in data.items() if v},
                "page": page.number,
                "result_count": page.paginator.count,
            },
        )
    context = {"form": form, "page_obj": page, "rows": rows}
    return render(request, "accounts/audit_log.html", context)


@manager_view
@require_http_methods(["GET"])
def processing_register(request: HttpRequest) -> HttpResponse:
    """The register of processing activities (AVG art. 30) for the functioneel beheerder: no personal data."""
    from openinburgering.audit.processing import ACTIVITIES

    actor = request_actor(request)
    _require(actor, Capability.VIEW_GEMEENTE_AUDIT)
    return render(request, "accounts/processing_register.html", {"actor": actor, "activities": ACTIVITIES})
