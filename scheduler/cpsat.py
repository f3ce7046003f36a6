"""Writing CP-SAT models straight into their protocol buffer: variables by index, linear sums, at-most-one.

CP-SAT's Python expression objects cost microseconds each, which a month of 5,000 slots and 450 people
(130,000 pairs) turns into minutes; so variables are referred to by their index in the model and every
constraint is appended to the model's protocol buffer. The hard rules (scheduler.rules) and the objective
terms (scheduler.model) are written with these helpers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from ortools.sat.python import cp_model

Pair = tuple[int, int]  # (slot row, person row)
INT_MAX = 2**62


@dataclass(frozen=True)
class Linear:
    """A weighted sum of model variables (by index) plus a constant; it can be evaluated on any solution."""

    variables: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    coefficients: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    constant: int = 0

    @classmethod
    def of(cls, variables, coefficients, constant: int = 0) -> Linear:
        return cls(np.asarray(variables, dtype=np.int64).reshape(-1),
                   np.asarray(coefficients, dtype=np.int64).reshape(-1), int(constant))

    def __add__(self, other: Linear) -> Linear:
        return Linear(np.concatenate([self.variables, other.variables]),
                      np.concatenate([self.coefficients, other.coefficients]), self.constant + other.constant)

    def times(self, factor: int) -> Linear:
        return Linear(self.variables, self.coefficients * factor, self.constant * factor)

    def value(self, solution: np.ndarray) -> int:
        """The sum at a solution given as one value per model variable (index order)."""
        return int(solution[self.variables] @ self.coefficients) + self.constant


def set_objective(cp: cp_model.CpModel, linear: Linear, maximize: bool) -> None:
    """Make `linear` the model's objective (CP-SAT stores a maximisation as a negated minimisation)."""
    cp.clear_objective()
    objective = cp.Proto().objective
    sign = -1 if maximize else 1
    objective.vars.extend(linear.variables.tolist())
    objective.coeffs.extend((sign * linear.coefficients).tolist())
    objective.offset = float(sign * linear.constant)
    objective.scaling_factor = float(sign)


def add_bounds(cp: cp_model.CpModel, linear: Linear, low: int = -INT_MAX, high: int = INT_MAX) -> None:
    """low <= linear <= high."""
    constraint = cp.Proto().constraints.add().linear
    constraint.vars.extend(linear.variables.tolist())
    constraint.coeffs.extend(linear.coefficients.tolist())
    constraint.domain.extend([max(low - linear.constant, -INT_MAX), min(high - linear.constant, INT_MAX)])


def at_most_one(cp: cp_model.CpModel, variables: list[int]) -> None:
    cp.Proto().constraints.add().at_most_one.literals.extend(variables)


def not_both(cp: cp_model.CpModel, first: int, second: int) -> None:
    cp.Proto().constraints.add().bool_or.literals.extend((-first - 1, -second - 1))  # not first or not second


@dataclass
class ScheduleModel:
    """The CP-SAT model with the variable index of every (slot, person) pair, so results and hints map back;
    and the locks and frozen assistant positions every solution keeps."""

    cp: cp_model.CpModel
    hosts: dict[Pair, int]  # host positions
    assistants: dict[Pair, int]  # assistant positions
    has: np.ndarray  # slots x people: True where the pair has a variable (either position)
    locks: dict[int, int] = field(default_factory=dict)  # slot -> person, kept in every solution
    fixed_assistants: set[Pair] = field(default_factory=set)  # assistant positions every solution keeps
    by_person: dict[int, dict[int, int]] = field(default_factory=dict)  # person -> slot -> variable
    hosts_of_slot: dict[int, list[int]] = field(default_factory=dict)  # slot -> host variables
    shortfalls: list[tuple[int, Linear, int]] = field(default_factory=list)  # (variable, minutes worked, promised)

    @cached_property
    def pairs(self) -> dict[Pair, int]:
        return {**self.hosts, **self.assistants}

    @property
    def size(self) -> int:
        return len(self.cp.Proto().variables)
