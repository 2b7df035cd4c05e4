"""Bundled scenarios (YAML data files) and their JSON Schema; located via importlib.resources."""
