"""Trainees are office-owned (scoped) and managed in the office pages, not in the admin."""
