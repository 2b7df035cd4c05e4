"""One module per screen; every scene subclasses :class:`game.scenes.base.Scene`."""
