"""Disclosure control of what the network publishes (docs/disclosure-control.md): the
linear model of published numbers (model), the attacker's audit (attacker, audit), the
choice of withheld numbers (suppression) and keyed rounding (rounding), put together for a
publication by `protection`."""
