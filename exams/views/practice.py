"""Exams pages: practice."""

urlpatterns: list = []
