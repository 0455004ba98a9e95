from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("bank/", views.bank_list, name="bank_list"),
    path("bank/new/", views.question_create, name="question_create"),
    path("bank/import/", views.bank_import, name="bank_import"),
    path("bank/template.xlsx", views.bank_template, name="bank_template"),
    path("bank/export/<str:fmt>/", views.bank_export, name="bank_export"),
    path("bank/<int:pk>/", views.question_detail, name="question_detail"),
    path("bank/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("bank/<int:pk>/status/", views.question_status, name="question_status"),
    path("bank/<int:pk>/reviewed/", views.question_reviewed, name="question_reviewed"),
]
