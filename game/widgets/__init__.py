"""Custom widgets drawn with pygame primitives (charts, cards, bars, maps); one per module."""
