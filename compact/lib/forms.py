"""Helpers for views that show a service's refusal on the form that asked for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: messages for a field the form has go next
    to that field, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@contextmanager
def service_errors_on(form: forms.Form, *, denied_is_404: bool = False) -> Iterator[None]:
    """The shape of a view that posts a form to a service, in one place::

        if form.is_valid():
            with service_errors_on(form):
                thing_change(..., **form.cleaned_data)
                messages.success(request, ...)
                return redirect(...)
        return render(request, ..., {"form": form})  # what was typed, with the refusal

    A ValidationError from the service goes on the form (next to its field when it names one)
    and the view goes on to show the form again; with ``denied_is_404``, a PermissionDenied
    answers 404, as for an object the user may not see."""
    try:
        yield
    except ValidationError as error:
        form_add_service_errors(form, error)
    except PermissionDenied:
        if not denied_is_404:
            raise
        raise Http404 from None
