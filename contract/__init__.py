"""The data contract (../shared/data-contract.md): file schemas and a reader that names bad cells."""
from contract.schemas import (
    AVAILABILITY,
    HOSTS,
    PRODUCT_TIERS,
    SESSIONS,
    SKU_SALES,
    SLOTS,
    TARGETS,
    TIERS,
    VIEWER_MINUTES,
)
from contract.tables import Column, DataError, Problem, Table, check_references, parse_table, read_raw, read_table

__all__ = [
    "AVAILABILITY", "HOSTS", "PRODUCT_TIERS", "SESSIONS", "SKU_SALES", "SLOTS", "TARGETS", "TIERS",
    "VIEWER_MINUTES", "Column", "DataError", "Problem", "Table", "check_references", "parse_table",
    "read_raw", "read_table",
]
