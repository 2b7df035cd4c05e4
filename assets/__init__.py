"""Bundled assets (fonts with licences, the UI theme); located via importlib.resources."""
