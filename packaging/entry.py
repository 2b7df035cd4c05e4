"""The frozen build's entry point: the same ``crossroads`` command as the installed one."""

from __future__ import annotations

import multiprocessing
import sys

from game.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the balance lab's worker processes start through here
    sys.exit(main())
