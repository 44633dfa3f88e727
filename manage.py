#!/usr/bin/env python
"""Django's manage.py; the installed `naikkelas` command does the same."""

from naikkelas.cli import main

if __name__ == "__main__":
    main()
