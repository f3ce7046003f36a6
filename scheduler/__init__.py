"""Staffing the livestream calendar with OR-Tools CP-SAT under the data contract's hard rules and objective."""
from scheduler.check import check_assignments
from scheduler.io import load_studio
from scheduler.locks import LockError
from scheduler.replan import CallOut, replan
from scheduler.rules import Violation
from scheduler.settings import Settings
from scheduler.solution import Solution, SolutionSummary
from scheduler.solver import evaluate, solve
from scheduler.studio import Studio

__all__ = ["CallOut", "LockError", "Settings", "Solution", "SolutionSummary", "Studio", "Violation",
           "check_assignments", "evaluate", "load_studio", "replan", "solve"]
