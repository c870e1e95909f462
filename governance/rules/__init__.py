"""Rule kinds, one module per family; :mod:`governance.rules.registry` lists them."""
