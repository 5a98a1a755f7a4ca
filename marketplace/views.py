from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    return render(request, "marketplace/home.html")


@require_safe
def statement_page(request, page: str):
    """A statement page, written out per language.

    Easy Language exists in German only: that page is rendered wholly in German
    (``lang="de"``), so screen readers pronounce it correctly.
    """
    language = (translation.get_language() or "de")[:2]
    try:
        template_name = get_template(f"pages/{page}.{language}.html").template.name
    except TemplateDoesNotExist:
        with translation.override("de"):
            return render(request, f"pages/{page}.de.html", {"page": page})
    return render(request, template_name, {"page": page})
