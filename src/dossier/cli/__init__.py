"""The ``dossier`` command: parse arguments, call the library, print."""

from .commands import main

__all__ = ["main"]
