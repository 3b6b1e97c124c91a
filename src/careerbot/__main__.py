"""``python -m careerbot`` runs the CLI."""

from .cli import main

main()
