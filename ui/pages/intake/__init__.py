"""The parts of the intake page: the form, its contact section, the banner above it."""
