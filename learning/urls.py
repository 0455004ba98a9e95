from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="my"),
    path("courses/<int:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path("lessons/<int:lesson_id>/", views.lesson_study, name="lesson_study"),
    path("study/start/", views.study_start, name="study_start"),
    path("study/heartbeat/", views.study_heartbeat, name="study_heartbeat"),
    path("study/check/", views.study_check, name="study_check"),
    path("study/stop/", views.study_stop, name="study_stop"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/screen/", views.session_screen, name="session_screen"),
    path("sessions/<int:pk>/qr.svg", views.session_qr, name="session_qr"),
    path("sessions/<int:pk>/attendance.xlsx", views.session_export, name="session_export"),
    path("checkin/<int:pk>/<str:token>/", views.checkin, name="checkin"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/review/", views.claim_review, name="claim_review"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<int:pk>/attachment/", views.claim_attachment, name="claim_attachment"),
    path("unit/", views.unit_hours, name="unit_hours"),
    path("unit/export.xlsx", views.unit_hours_export, name="unit_hours_export"),
    path("officers/<int:pk>/", views.officer_ledger, name="officer_ledger"),
    path("credits/<int:pk>/reverse/", views.credit_reverse, name="credit_reverse"),
    path("rules/", views.rules_edit, name="rules"),
]
