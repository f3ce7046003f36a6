"""The livestream scorecard: the data contract's formulas over sessions, SKUs and viewer minutes.

Pure functions DataFrame -> DataFrame; reading files happens in `metrics.load`, printing in the CLI.
"""
from metrics.formulas import METRICS, RATIOS, SUMS, ratio, summarise
from metrics.groups import SESSION_KEYS, SKU_KEYS, check_keys, scorecard, with_keys
from metrics.load import Results, load_results
from metrics.retention import average_curves, retention_curves, retention_summary
from metrics.velocity import VELOCITY_COLUMNS, sku_velocity

__all__ = [
    "METRICS", "RATIOS", "SESSION_KEYS", "SKU_KEYS", "SUMS", "VELOCITY_COLUMNS", "Results", "average_curves",
    "check_keys", "load_results", "ratio", "retention_curves", "retention_summary", "scorecard",
    "sku_velocity", "summarise", "with_keys",
]
