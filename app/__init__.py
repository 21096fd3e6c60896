"""Havre: the Qt-free core (domain, services, reports, keys)."""

APP_NAME = "Havre"
APP_ID = "be.havre.desk"
__version__ = "0.1.0"
