"""« Code oublié ? »: the request by NIR and birth date, then the new code (rule C5, issue 13)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.accounts import recovery
from guichet.core.http import client_ip
from guichet.interfaces.web.code_reset.forms import CodeResetRequestForm, CodeSetForm


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = CodeResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = recovery.code_reset_request(
            nir=form.cleaned_data["nir"],
            birth_date=form.cleaned_data["birth_date"],
            ip=client_ip(request),
        )
        if not answer.message:
            return render(request, "web/password_reset_sent.html", {"title": "Code oublié"})
        form.add_error(None, answer.message)
    return render(request, "web/password_reset.html", {"form": form, "title": "Code oublié"})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = recovery.code_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(
            request, "web/password_reset_invalid.html", {"title": "Lien expiré"}, status=400
        )
    form = CodeSetForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        recovery.code_reset_complete(
            user=user, code=form.cleaned_data["new_password1"], ip=client_ip(request)
        )
        messages.success(
            request, "Votre nouveau code personnel est enregistré. Vous pouvez vous connecter."
        )
        return redirect("web:login")
    return render(
        request,
        "web/password_reset_confirm.html",
        {"form": form, "title": "Nouveau code personnel"},
    )
