"""``python -m schoolkg`` runs the command line."""

from schoolkg.cli import main

main()
