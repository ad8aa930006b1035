"""Composition root: settings, the FastAPI app factory and the `qamqor` command line."""
