"""Sub-commands of the ``crossroads`` CLI, one module each."""
