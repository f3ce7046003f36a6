"""Widgets more than one page draws: the draft-table editor, the problems table, the person label."""
