"""Use cases, one module per capability. Every call takes the acting desk session (and so the
acting user), checks the role, records the audit event and returns plain dataclasses."""
