from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def participate(request):
    """The public page where citizens and organisations learn how to take part and sign up."""
    return render(request, "participation/participate.html")
