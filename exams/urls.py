"""Exams URLs. Each area's views module declares its own `urlpatterns` (names in the "exams" namespace), so
the areas (bank, authoring, attempts, grading, practice) do not share one list."""

from django.urls import path

from .views import attempts, authoring, bank, grading, practice

app_name = "exams"

urlpatterns = [
    path("bank/", bank.bank_list, name="bank_list"),
    path("bank/new/", bank.question_create, name="question_create"),
    path("bank/import/", bank.bank_import, name="bank_import"),
    path("bank/template.xlsx", bank.bank_template, name="bank_template"),
    path("bank/export/<str:fmt>/", bank.bank_export, name="bank_export"),
    path("bank/<int:pk>/", bank.question_detail, name="question_detail"),
    path("bank/<int:pk>/edit/", bank.question_edit, name="question_edit"),
    path("bank/<int:pk>/status/", bank.question_status, name="question_status"),
    path("bank/<int:pk>/reviewed/", bank.question_reviewed, name="question_reviewed"),
    path("bank/<int:pk>/exam-only/", bank.question_exam_only, name="question_exam_only"),
    *authoring.urlpatterns,
    *attempts.urlpatterns,
    *grading.urlpatterns,
    *practice.urlpatterns,
]
