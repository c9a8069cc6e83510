from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts import services as account_services
from guichet.accounts.backends import BACKEND
from guichet.core.http import client_ip
from guichet.core.sessions import EXPIRED_KEY, RESUME_KEY
from guichet.enrollment import selectors as enrollment_selectors
from guichet.interfaces.web.access import insured_required
from guichet.interfaces.web.enrollment import views as views_enrollment
from guichet.interfaces.web.sign_in.forms import LoginForm


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "is_insured", False):
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        result = account_services.insured_authenticate(
            nir=form.cleaned_data["nir"], code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if result.user is not None:
            account_services.user_record_login(user=result.user, ip=client_ip(request))
            login(request, result.user, backend=BACKEND)
            if request.session.get(RESUME_KEY):
                return redirect("web:session_resume")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(next_url)
            return redirect("web:after_login")
        if result.retry_after is None:
            # C8: an account created online and not activated yet, with the right code personnel,
            # is sent to the page that resends the link or asks for a valid address.
            pending = enrollment_selectors.account_awaiting_activation(
                nir=form.cleaned_data["nir"], code=form.cleaned_data["code"]
            )
            if pending is not None:
                request.session[views_enrollment.ACTIVATION_KEY] = pending.pk
                return redirect("web:enrollment_activation")
        form.add_error(None, result.error)
    context = {
        "form": form,
        "next": next_url,
        "title": "Connexion",
        "session_expired": EXPIRED_KEY in request.session,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render(request, "web/login.html", {**context, **views_enrollment.login_context()})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # Signed in through FranceConnect (rule C9): leave its session too, then come back here.
    fc_logout = views_enrollment.franceconnect_logout_url(request)
    logout(request)
    messages.info(request, "Vous êtes déconnecté. À bientôt.")
    return redirect(fc_logout or "web:login")


@insured_required
@require_http_methods(["GET", "POST"])
def session_resume(request: HttpRequest) -> HttpResponse:
    """After a login that followed an expiry: send again what the expired session's last form
    sent (its fields kept as hidden inputs, with a fresh CSRF token), or drop it."""
    resume = request.session.get(RESUME_KEY)
    if not isinstance(resume, dict) or request.method == "POST":
        request.session.pop(RESUME_KEY, None)
        return redirect("web:after_login")
    path = resume.get("path", "")
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        request.session.pop(RESUME_KEY, None)
        return redirect("web:after_login")
    request.session.pop(RESUME_KEY)
    return render(
        request,
        "web/session_resume.html",
        {"title": "Reprendre ma démarche", "path": path, "fields": resume.get("fields", [])},
    )


@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """« Rester connecté »: the session's idle expiry starts again (WCAG 2.2.1).

    As after any signed-in request, the session store pushes the expiry back unless it did less
    than GUICHET_SESSION_TOUCH_SECONDS ago (the warning's timer already counts that interval,
    static/js/session-timeout.js): no forced write, the keep-alive is the minimal signed-in
    request of docs/benchmarks.md « Pages » (issue 16, docs/decisions/pages-per-request-cost.md).
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


@insured_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where a fresh login lands: the home page, unless a procedure needs the person first."""
    from guichet.interfaces.web.complementary.views import interstitial_due

    if interstitial_due(request):
        return redirect("web:complementary_alert")
    return redirect("web:home")


def nir_help(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/nir_help.html", {"title": "Où trouver mon numéro de sécurité sociale ?"}
    )
