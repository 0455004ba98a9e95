from django.urls import path

from . import views

app_name = "contest"

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_new, name="new"),
    path("join/", views.join, name="join"),
    path("<int:pk>/host/", views.contest_host, name="host"),
    path("<int:pk>/screen/", views.contest_screen, name="screen"),
    path("<int:pk>/qr.svg", views.contest_qr, name="qr"),
    path("<int:pk>/next/", views.contest_next, name="next"),
    path("<int:pk>/close/", views.contest_close, name="close"),
    path("<int:pk>/finish/", views.contest_finish, name="finish"),
    path("<int:pk>/results/", views.contest_results, name="results"),
    path("<int:pk>/results.xlsx", views.contest_results_xlsx, name="results_xlsx"),
    path("<int:pk>/log/", views.contest_log, name="log"),
    path("<int:pk>/play/", views.play, name="play"),
]
