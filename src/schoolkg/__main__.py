"""``python -m schoolkg`` runs the command line."""

from schoolkg._entry import main

main()
