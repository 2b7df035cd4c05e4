"""Everything a person touches: the pygame front end, the CLI, saves, reports, workshops."""
