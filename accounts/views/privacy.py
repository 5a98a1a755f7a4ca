"""Privacy self-service: download all personal data, delete the account."""
from django.http import HttpResponse


def data_page(request):
    return HttpResponse("todo")


def export_data(request):
    return HttpResponse("todo")


def delete_account(request):
    return HttpResponse("todo")
