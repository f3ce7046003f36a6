"""The numerics under the forecast: one-hot design matrices and a ridge fit with two nested random blocks.

The system is X = [fixed | host | host-category]: the fixed columns carry almost no penalty, each host block
an empirical-Bayes penalty re-estimated between fits (an EM loop on the between-level variance,
lambda = sigma^2 / tau^2). It is solved by eliminating the host and host-category blocks, whose part of the
normal equations is diagonal but for each category term's tie to its own host, so only the fixed block (about
a hundred columns on a year of 100 shops) is factorised densely, with scipy's Cholesky.

A module of its own so that scipy is imported only where a forecast is fitted or used: the import costs a
quarter of a second that checking a plan, or a studio without results, does not need to pay.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sparse
from scipy.linalg import cho_factor, cho_solve
from threadpoolctl import threadpool_limits

EM_ROUNDS = 100  # at most; the loop stops once both penalties move less than EM_TOLERANCE
EM_TOLERANCE = 0.01
FIRST_PENALTY = 5.0
FIXED_PENALTY = 1 / 900  # nearly none: the fixed terms are learnt from the data alone


@contextmanager
def one_thread() -> Iterator[None]:
    """BLAS on one thread: the dense blocks are small, and waking threads on a busy machine costs more than
    the products they would share."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def indicators(codes: np.ndarray, width: int) -> sparse.csr_matrix:
    """Rows with a 1 in column `code`; code -1 leaves the row empty."""
    rows = np.flatnonzero(codes >= 0)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, codes[rows])), shape=(len(codes), width))


def one_hot(codes: np.ndarray, shares: np.ndarray) -> sparse.csr_matrix:
    """Indicators of `codes`, and for a row with code -1 (a level never seen) the levels' `shares` instead."""
    block = indicators(codes, len(shares))
    unseen = np.flatnonzero(codes < 0)
    if not len(unseen):
        return block
    columns = np.arange(len(shares))
    average = sparse.csr_matrix((np.tile(shares, len(unseen)), (np.repeat(unseen, len(shares)),
                                                                np.tile(columns, len(unseen)))), shape=block.shape)
    return block + average


def columns(*blocks: sparse.spmatrix | np.ndarray) -> sparse.csr_matrix:
    """Blocks side by side; a 1-d array is one dense column."""
    return sparse.hstack([sparse.csr_matrix(b.reshape(-1, 1)) if isinstance(b, np.ndarray) else b for b in blocks],
                         format="csr")


@dataclass(frozen=True)
class Part:
    """One target's fitted terms: the fixed coefficients, each host and host-category term with its approximate
    posterior variance, and the fitted values."""

    fixed: np.ndarray
    host: np.ndarray
    host_var: np.ndarray
    pair: np.ndarray
    pair_var: np.ndarray
    fitted: np.ndarray


class Ridge:
    """The weighted cross-products of a design every target's fit shares (the penalties only change the
    diagonal). `pair_host` names the host column each host-category column belongs to."""

    def __init__(self, fixed: sparse.csr_matrix, host: sparse.csr_matrix, pair: sparse.csr_matrix,
                 pair_host: np.ndarray, weight: np.ndarray):
        self.fixed, self.host, self.pair, self.pair_host, self.weight = fixed, host, pair, pair_host, weight
        self.host_of_pair = indicators(pair_host, host.shape[1]).T.tocsr()
        self.weighted = [block.T.multiply(weight).tocsr() for block in (fixed, host, pair)]
        self.fixed_gram = (self.weighted[0] @ fixed).toarray() + FIXED_PENALTY * np.eye(fixed.shape[1])
        self.host_cross = (self.weighted[1] @ fixed).toarray()
        self.pair_cross = (self.weighted[2] @ fixed).toarray()
        self.host_weight = host.T @ weight
        self.pair_weight = pair.T @ weight

    def fit(self, target: np.ndarray) -> Part:
        """Ridge fits of one target with the host penalties re-estimated between fits until they settle (EM
        moves slowly where a block's true spread is near zero, which is where shrinking hard matters most).
        Each round works on the cross-products alone, so its cost does not grow with the streams."""
        penalties = np.array([FIRST_PENALTY, FIRST_PENALTY])
        moments = [w @ target for w in self.weighted]
        total_weight, weighted_square = float(self.weight.sum()), float(self.weight @ target ** 2)
        for _ in range(EM_ROUNDS):
            fixed, host, pair = self._solve(moments, *penalties)
            sigma2 = self._squared_residuals(weighted_square, moments, fixed, host, pair) / total_weight
            settled = penalties
            penalties = np.array([_penalty(sigma2, host, self.host_weight, penalties[0]),
                                  _penalty(sigma2, pair, self.pair_weight, penalties[1])])
            if np.all(np.abs(penalties / settled - 1) < EM_TOLERANCE):
                break
        host_var = sigma2 / (self.host_weight + penalties[0])
        pair_var = sigma2 / (self.pair_weight + penalties[1])
        return Part(fixed, host, host_var, pair, pair_var, self.fixed @ fixed + self.host @ host + self.pair @ pair)

    def _squared_residuals(self, weighted_square: float, moments: list[np.ndarray], fixed: np.ndarray,
                           host: np.ndarray, pair: np.ndarray) -> float:
        """sum w (y - Xb)^2 = y'Wy - 2 b'X'Wy + b'X'WXb, from the cross-products (the host blocks' own are
        diagonal but for each category term's tie to its host)."""
        fitted_square = (fixed @ (self.fixed_gram @ fixed) - FIXED_PENALTY * fixed @ fixed
                         + 2 * fixed @ (self.host_cross.T @ host + self.pair_cross.T @ pair)
                         + self.host_weight @ host ** 2 + self.pair_weight @ pair ** 2
                         + 2 * (self.pair_weight * pair) @ host[self.pair_host])
        cross = sum(float(b @ m) for b, m in zip((fixed, host, pair), moments))
        return max(weighted_square - 2 * cross + float(fitted_square), 0.0)

    def _solve(self, moments: list[np.ndarray], host_penalty: float,
               pair_penalty: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ridge solution for the blocks' moments X'Wy: the fixed terms from the Schur complement of the
        host blocks, then the host and host-category terms given them."""
        fixed_moments, host_moments, pair_moments = moments
        host_z, pair_z = self._solve_random(self.host_cross, self.pair_cross, host_penalty, pair_penalty)
        host_y, pair_y = self._solve_random(host_moments, pair_moments, host_penalty, pair_penalty)
        schur = self.fixed_gram - self.host_cross.T @ host_z - self.pair_cross.T @ pair_z
        fixed = cho_solve(cho_factor(schur), fixed_moments - self.host_cross.T @ host_y - self.pair_cross.T @ pair_y)
        host, pair = self._solve_random(host_moments - self.host_cross @ fixed, pair_moments - self.pair_cross @ fixed,
                                        host_penalty, pair_penalty)
        return fixed, host, pair

    def _solve_random(self, host_rhs: np.ndarray, pair_rhs: np.ndarray, host_penalty: float,
                      pair_penalty: float) -> tuple[np.ndarray, np.ndarray]:
        """The host and host-category terms for given right-hand sides (vectors or matrices of columns): the
        category terms depend only on their own host's, so the host terms solve a diagonal system first."""
        pair_diagonal = self.pair_weight + pair_penalty
        pulled = self.pair_weight / pair_diagonal
        host_diagonal = self.host_weight + host_penalty - self.host_of_pair @ (self.pair_weight * pulled)
        shape = (-1,) + (1,) * (host_rhs.ndim - 1)
        host = (host_rhs - self.host_of_pair @ (pulled.reshape(shape) * pair_rhs)) / host_diagonal.reshape(shape)
        pair = (pair_rhs - self.pair_weight.reshape(shape) * host[self.pair_host]) / pair_diagonal.reshape(shape)
        return host, pair


def _penalty(sigma2: float, terms: np.ndarray, weights: np.ndarray, penalty: float) -> float:
    """lambda = sigma^2 / tau^2, tau^2 = sum b^2 / sum w / (w + lambda) over the levels that have streams: the
    fixed point of EM on the between-level variance, reached in far fewer rounds (MacKay's update)."""
    seen = weights > 0
    if not seen.any():
        return FIRST_PENALTY
    tau2 = float(np.sum(terms[seen] ** 2) / np.sum(weights[seen] / (weights[seen] + penalty)))
    return float(np.clip(sigma2 / max(tau2, 1e-9), 0.05, 1e4))
