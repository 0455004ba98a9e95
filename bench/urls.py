"""The bench URLconf (config.settings.bench only): the site's URLs plus the baseline endpoint."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

from . import views

urlpatterns = [
    path("bench/baseline/", views.baseline_write, name="bench_baseline"),
    *site_urlpatterns,
]
