"""The PySide6 front end. It calls app/ services and never touches the database itself."""
