"""The parts of the case page: the form of the case, its consents, its timeline."""
