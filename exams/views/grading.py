"""Exams pages: grading."""

urlpatterns: list = []
