"""Entry point for `python -m kafkalint`."""

from kafkalint.cli import main

main()
