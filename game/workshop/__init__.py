"""Workshop mode: sessions of teams, the durable store, facilitator tools."""
