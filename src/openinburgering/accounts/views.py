"""Login, logout, password change; staff management and the gemeente audit log for the functioneel beheerder."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError

from . import services
from .actor import resolve_actor
from .forms import LoginForm, PasswordChangeForm, add_application_errors

PURPOSE_SECURITY = "beveiliging"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        actor = resolve_actor(user, None)
        record_event(
            actor=actor, actor_user=None if actor else user, event_type="login_succeeded", purpose=PURPOSE_SECURITY
        )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["max_failures"] = settings.LOGIN_MAX_FAILURES
        context["lockout_minutes"] = settings.LOGIN_LOCKOUT_MINUTES
        return context


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseRedirect:
    if request.user.is_authenticated:
        actor = request.actor  # type: ignore[attr-defined]  # set by ActorMiddleware
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
    return render(request, "accounts/password_change.html", {"form": form})
