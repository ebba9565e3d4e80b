"""``python -m dossier.cli``: the ``dossier`` command."""

from .commands import main

main()
