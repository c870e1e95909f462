"""CLI sub-commands; each module defines ``register(subparsers)`` and stays import-light."""
