"""Shared by the planning tests: the generated office records."""

from tests.planning.test_indicators import office_records  # noqa: F401 - a fixture, offered to every test here
