"""Thin views of certification, by audience: officer.py (my certificate, its PDF), hr.py (the board, officer
detail and HR's actions, review run, 待发证, import, cycles), public.py (the verify page behind the QR code)."""
