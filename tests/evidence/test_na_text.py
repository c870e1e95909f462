"""Every reader reads the same cells as missing: the in-memory reader (pandas' defaults) and the
batched readers (pyarrow, given PANDAS_NA_TEXT)."""

from __future__ import annotations

from pandas._libs.parsers import STR_NA_VALUES

from governance.analysis import colstats
from governance.evidence.tables import PANDAS_NA_TEXT
from governance.metrics import streaming


def test_the_missing_cell_list_is_pandas_own_and_shared() -> None:
    assert set(PANDAS_NA_TEXT) == set(STR_NA_VALUES)
    assert len(PANDAS_NA_TEXT) == len(set(PANDAS_NA_TEXT))
    assert streaming.PANDAS_NA_TEXT is PANDAS_NA_TEXT
    assert colstats.PANDAS_NA_TEXT is PANDAS_NA_TEXT
