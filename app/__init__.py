"""Havre: the Qt-free core (domain, services, reports, keys)."""

APP_NAME = "Havre"
# The application's id everywhere the system shows Havre: the Linux desktop entry, icon and
# AppStream files (packaging/linux/), the window's desktop file name, the macOS bundle.
APP_ID = "be.havre.Havre"
__version__ = "0.1.0"
