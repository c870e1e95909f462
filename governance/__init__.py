"""Gate ML model releases on evidence.

The public Python API lives in :mod:`governance.api`; this module stays import-light so that
``governance --version`` and the pre-commit hooks start fast.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
