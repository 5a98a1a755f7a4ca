"""Middleware that holds for every app."""

from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

UNPROCESSABLE = 422


def _has_errors(value) -> bool:
    form = getattr(value, "form", value)  # the admin wraps its form in an AdminForm
    if isinstance(form, BaseForm | BaseFormSet) and form.is_bound:
        return not form.is_valid()
    return False


class InvalidFormStatusMiddleware:
    """Answer a POST whose form did not validate with 422, not 200.

    Django and allauth re-render an invalid form with status 200; clients,
    tests and monitoring should see that the input was refused. Views that
    render a plain ``HttpResponse`` set the status themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if request.method == "POST" and response.status_code == 200:
            context = response.context_data or {}
            if any(_has_errors(value) for value in context.values()):
                response.status_code = UNPROCESSABLE
        return response
