"""Model cards: the schema, the loader and importers from other card formats."""
