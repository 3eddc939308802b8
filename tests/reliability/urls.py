from django.db import connection
from django.http import HttpResponse
from django.urls import path

from evalportal.urls import handler500  # noqa: F401 - the project's error handler, served here too
from evalportal.urls import urlpatterns as evalportal_urlpatterns


def hello(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO reliability_hello DEFAULT VALUES")
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("__hello", hello), *evalportal_urlpatterns]
