from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts import services as account_services
from guichet.accounts.backends import BACKEND
from guichet.desk.access import agent_required
from guichet.desk.forms import AgentLoginForm
from guichet.web.access import client_ip


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = AgentLoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        result = account_services.agent_authenticate(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if result.user is not None:
            account_services.user_record_login(user=result.user, ip=client_ip(request))
            login(request, result.user, backend=BACKEND)
            if next_url.startswith("/agents/") and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                return redirect(next_url)
            return redirect("desk:home")
        form.add_error(None, result.error)
    return render(
        request, "desk/login.html", {"form": form, "next": next_url, "title": "Connexion agent"}
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("desk:login")


@agent_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/home.html", {"title": "Espace agent"})
