"""Login in steps (#12 items 2-4): password (throttled, accounts.backends) → code from the app, or first setting up
the app when the gemeente requires it → logged in. Until the last step the user is not logged in, so no other page
can be reached in between. Also: logout, 'log out everywhere' and the session questions of the idle warning."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError

from . import services, sso, two_factor
from .actor import resolve_actor
from .forms import LoginCodeForm, LoginForm, add_application_errors, wait_text
from .middleware import SESSION_ACTIVITY_KEY, SESSION_TWO_FACTOR_KEY, seconds_left
from .models import User
from .web import actor_of

PURPOSE_SECURITY = "beveiliging"
# The half-finished login between the password and the code: user id, backend, where to go next, when it began.
PENDING_KEY = "pending_login"
PENDING_SECONDS = 5 * 60
RECOVERY_CODES_KEY = "new_recovery_codes"
PASSWORD_OFF_MESSAGE = (
    "Uw gemeente laat inloggen met gebruikersnaam en wachtwoord niet meer toe. "
    "Gebruik de knop om in te loggen via uw gemeente."
)


def complete_login(request: HttpRequest, user: User, *, backend: str, second_factor: str = "") -> None:
    """The last step of every login (password, code, single sign-on): the session starts and is audited."""
    login(request, user, backend=backend)
    request.session[SESSION_TWO_FACTOR_KEY] = bool(second_factor)
    actor = resolve_actor(user, None)
    record_event(
        actor=actor,
        actor_user=None if actor else user,
        event_type="login_succeeded",
        purpose=PURPOSE_SECURITY,
        changes={"method": backend.rsplit(".", 1)[-1], "second_factor": second_factor or None},
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.allows_password_login(user):
            record_event(actor_user=user, event_type="login_refused_password_off", purpose=PURPOSE_SECURITY)
            form.add_error(None, PASSWORD_OFF_MESSAGE)
            return self.form_invalid(form)
        backend = str(getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]))
        if two_factor.has_two_factor(user) or two_factor.is_required_for(user):
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": backend,
                "next": self.get_success_url(),
                "at": time.time(),
            }
            step = "accounts:login-code" if two_factor.has_two_factor(user) else "accounts:login-enrol"
            return redirect(step)
        complete_login(self.request, user, backend=backend)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["max_failures"] = settings.LOGIN_MAX_FAILURES
        context["max_wait"] = wait_text(settings.LOGIN_MAX_DELAY_SECONDS)
        context["sso_buttons"] = sso.login_buttons()
        return context


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The user of the half-finished login, or None when there is none or it is older than five minutes."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


def _restart(request: HttpRequest) -> HttpResponseRedirect:
    messages.info(request, "Log opnieuw in met uw gebruikersnaam en wachtwoord.")
    return redirect("accounts:login")


def _finish(request: HttpRequest, user: User, pending: dict[str, Any], second_factor: str) -> HttpResponseRedirect:
    request.session.pop(PENDING_KEY, None)
    complete_login(request, user, backend=str(pending["backend"]), second_factor=second_factor)
    target = str(pending.get("next") or "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = resolve_url(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(target)


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step: the six digits from the app, or a recovery code."""
    found = _pending(request)
    if found is None or not two_factor.has_two_factor(found[0]):
        return _restart(request)
    user, pending = found
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            used = two_factor.verify_login_code(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            response = _finish(request, user, pending, used)
            if used == "herstelcode":
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"U heeft een herstelcode gebruikt. U heeft er nog {left}. "
                    "Vraag de functioneel beheerder om de tweestapsverificatie opnieuw in te stellen als u uw "
                    "telefoon kwijt bent.",
                )
            return response
    return render(request, "accounts/login_code.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Second step for a user who must use two-factor login and has no app yet: scan the QR code (or type the
    secret), then type the first code. Recovery codes follow on the next page."""
    found = _pending(request)
    if found is None or two_factor.has_two_factor(found[0]):
        return _restart(request)
    user, pending = found
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _device, codes = two_factor.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            add_application_errors(form, error)
        else:
            _finish(request, user, pending, "app")
            request.session[RECOVERY_CODES_KEY] = codes
            return redirect("accounts:recovery-codes")
    enrolment = two_factor.start_enrolment(user=user)
    context = {"form": form, "enrolment": enrolment}
    return render(request, "accounts/login_enrol.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once right after setting up the app."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseRedirect:
    if request.user.is_authenticated:
        actor = actor_of(request)
        record_event(
            actor=actor,
            actor_user=None if actor else request.user,
            event_type="logged_out",
            purpose=PURPOSE_SECURITY,
        )
    logout(request)
    messages.info(request, "U bent uitgelogd.")
    return redirect("accounts:login")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponseRedirect:
    """Ends every session of the user: on this computer and on every other one."""
    services.end_all_sessions(user=request.user)  # type: ignore[arg-type]  # login_required: a User
    logout(request)
    messages.info(request, "U bent uitgelogd op alle computers en telefoons.")
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> JsonResponse:
    """For the idle warning (static/js/session-timeout.js): GET asks how many seconds are left without counting
    as activity; POST ('Blijf ingelogd') is activity and so renews the session."""
    if not request.user.is_authenticated or BACKEND_SESSION_KEY not in request.session:
        return JsonResponse({"seconds_left": 0})
    if request.method == "POST":
        # The idle clock moves in 30-second steps on ordinary requests (#18), but 'Blijf ingelogd' is the user's
        # explicit wish: it always renews the session to the full time it promises.
        request.session[SESSION_ACTIVITY_KEY] = time.time()
    return JsonResponse({"seconds_left": seconds_left(request)})
