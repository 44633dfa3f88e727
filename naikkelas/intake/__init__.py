"""Intake: reading the office's own spreadsheets as they are, importing them, exporting lists."""
