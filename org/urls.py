from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("hr/officers/", views.officer_list, name="officer_list"),
    path("hr/officers/export.xlsx", views.officer_export, name="officer_export"),
    path("hr/officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("hr/officers/<int:pk>/initial-password/", views.officer_initial_password, name="officer_initial_password"),
    path("hr/roster/import/", views.roster_import, name="roster_import"),
]
