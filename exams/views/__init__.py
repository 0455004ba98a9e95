"""Exams pages by area: bank, authoring (papers, exams, monitor), attempts (the exam page and its JSON API),
grading, practice. Each module is thin: parse input, call one service or selector, render."""
