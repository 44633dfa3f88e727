"""Shared bits: audit log, personal-data helpers (NIK, phone), money, base templates."""
