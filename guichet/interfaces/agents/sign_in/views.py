import django_otp
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts import second_factor
from guichet.accounts import services as account_services
from guichet.accounts.backends import BACKEND
from guichet.core.http import client_ip
from guichet.interfaces.agents import access
from guichet.interfaces.agents.sign_in.forms import AgentLoginForm, SecondFactorForm


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: identifier and password. The right password is not a login: the agent waits for
    the second factor (docs/decisions/security-agents-second-factor.md)."""
    form = AgentLoginForm(request.POST or None)
    next_url = access.safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    if request.method == "POST" and form.is_valid():
        result = account_services.agent_authenticate(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if result.user is not None and not second_factor.agent_has_device(result.user):
            form.add_error(None, second_factor.NO_DEVICE)
        elif result.user is not None:
            access.pending_set(request, result.user, next_url)
            return redirect("agents:login_code")
        else:
            form.add_error(None, result.error)
    return render(
        request, "agents/login.html", {"form": form, "next": next_url, "title": "Connexion agent"}
    )


@require_http_methods(["GET", "POST"])
def login_code_view(request: HttpRequest) -> HttpResponse:
    """Step 2: the code of the authenticator application, or a recovery code."""
    pending = access.pending_get(request)
    if pending is None:
        return redirect("agents:login")
    user, next_url = pending
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        result = second_factor.agent_code_verify(user=user, code=form.cleaned_data["code"], ip=ip)
        if result.device is not None:
            access.pending_clear(request)
            login(request, user, backend=BACKEND)
            django_otp.login(request, result.device)
            account_services.user_record_login(user=user, ip=ip)
            return redirect(next_url or "agents:home")
        form.add_error("code", result.error)
    return render(
        request, "agents/login_code.html", {"form": form, "title": "Connexion agent : vérification"}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("agents:login")
