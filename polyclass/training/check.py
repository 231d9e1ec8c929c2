"""``pc.check``: classify a polynomial, train on it, and compare prediction with outcome."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import TrainConfigError
from ..validation import check_device, check_int
from .api import train
from .config import RunOptions, TrainConfig, resolve
from .results import TrainResult

if TYPE_CHECKING:  # pragma: no cover
    from ..learnability import Verdict
    from ..modpoly import ModPoly

#: Largest |score - observed test accuracy| that counts as a graded agreement.
GRADED_TOLERANCE = 0.10


def default_check_config(p: int) -> TrainConfig:
    """Settings that grok learnable bivariate polynomials at small and moderate p.

    The paper's recipe (MSE, AdamW lr 0.005, wd 5, 50% of the table, full batch) with
    N = 500 and early stop once grokked; small primes get more steps (fewer examples).
    """
    steps = 3000 if p < 50 else 1500
    return TrainConfig(width=500, steps=steps)


@dataclass(frozen=True, eq=False)
class CheckResult:
    """Predicted learnability against the outcome of a training run.

    ``predicted``: the classifier's ``learnable`` (``None`` when it could not decide);
    ``observed``: whether the run grokked (test accuracy >= threshold). ``agrees`` is
    ``None`` when there was no prediction. ``graded_agrees``: whether the graded score
    (``Verdict.score``, expected test accuracy at the run's training fraction) lies within
    `GRADED_TOLERANCE` of the observed test accuracy. ``margin``: observed test
    accuracy minus the chance level (majority-class share of the test set).
    """

    poly: ModPoly
    p: int
    predicted: bool | None
    observed: bool
    observed_test_accuracy: float
    observed_train_accuracy: float
    chance: float
    grok_threshold: float
    verdict: Verdict = field(repr=False)
    result: TrainResult = field(repr=False)
    classify_s: float = 0.0
    train_s: float = 0.0

    @property
    def agrees(self) -> bool | None:
        return None if self.predicted is None else self.predicted == self.observed

    @property
    def graded_error(self) -> float | None:
        """``|score - observed test accuracy|`` (None without a score)."""
        return None if self.score is None else abs(self.score - self.observed_test_accuracy)

    @property
    def graded_agrees(self) -> bool | None:
        """Whether the graded score is within ``GRADED_TOLERANCE`` of the observed accuracy."""
        error = self.graded_error
        return None if error is None else error <= GRADED_TOLERANCE

    @property
    def score(self) -> float | None:
        """The classifier's graded score (``Verdict.score``), when it has one."""
        value = self.verdict.score
        return None if value is None else float(value)

    @property
    def margin(self) -> float:
        return self.observed_test_accuracy - self.chance

    def __str__(self) -> str:
        pred = {True: "learnable", False: "not learnable", None: "undecided"}[self.predicted]
        agree = {True: "agrees", False: "DISAGREES", None: "no prediction"}[self.agrees]
        graded = ""
        if self.score is not None:
            word = "agrees" if self.graded_agrees else "DISAGREES"
            graded = f"; score {self.score:.2f} vs observed: {word} (within {GRADED_TOLERANCE})"
        T = self.result
        peak = f", peak {T.peak_test_accuracy:.2%} at step {T.peak_at}" if T.fell_from_peak else ""
        return (
            f"{self.poly}: predicted {pred}; observed test {self.observed_test_accuracy:.2%} "
            f"(train {self.observed_train_accuracy:.2%}, chance {self.chance:.2%}{peak}) -> "
            f"{agree}{graded}"
        )

    def to_dict(self) -> dict[str, Any]:
        verdict = self.verdict.to_dict()
        return {
            "poly": str(self.poly),
            "p": self.p,
            "predicted": self.predicted,
            "observed": self.observed,
            "agrees": self.agrees,
            "graded_agrees": self.graded_agrees,
            "graded_error": self.graded_error,
            "observed_test_accuracy": self.observed_test_accuracy,
            "observed_train_accuracy": self.observed_train_accuracy,
            "chance": self.chance,
            "margin": self.margin,
            "score": self.score,
            "grok_threshold": self.grok_threshold,
            "grokked_at": self.result.grokked_at,
            "peak_test_accuracy": self.result.peak_test_accuracy,
            "peak_at": self.result.peak_at,
            "memorised_at": self.result.memorised_at,
            "steps_run": self.result.steps_run,
            "classify_s": self.classify_s,
            "train_s": self.train_s,
            "verdict": verdict,
        }


def check(
    poly: object,
    p: int | None = None,
    *,
    config: TrainConfig | None = None,
    options: RunOptions | None = None,
    **overrides: Any,
) -> CheckResult:
    """Classify ``poly`` (``pc.classify``), train on it, and compare.

    ``overrides`` change `default_check_config` (``width=``, ``steps=``, ``seed=``...)
    or the run options (``device=``, ``progress=``...).
    """
    from ..decomposition import decompose  # the classifier and the parser need SymPy;
    from ..learnability import classify  # training does not load it at import
    from ..modpoly import as_modpoly

    P = as_modpoly(poly, p=p)
    t0 = time.perf_counter()
    base = config if config is not None else default_check_config(P.p)
    cfg, opts = resolve(base, options, overrides)
    check_int(cfg.steps, "steps", minimum=1, error=TrainConfigError)  # 0 steps tests nothing
    check_device(opts.device, error=TrainConfigError)  # before the classifier's seconds
    D = decompose(P)  # once: the classifier and the IPR basis use its structure as it is
    verdict = classify(D, alpha=cfg.train_fraction)
    t1 = time.perf_counter()
    T = train(D, config=cfg, options=opts)
    t2 = time.perf_counter()
    return CheckResult(
        poly=P,
        p=P.p,
        predicted=None if verdict.learnable is None else bool(verdict.learnable),
        observed=T.test_accuracy >= T.config.grok_threshold,
        observed_test_accuracy=T.test_accuracy,
        observed_train_accuracy=T.train_accuracy,
        chance=T.chance,
        grok_threshold=T.config.grok_threshold,
        verdict=verdict,
        result=T,
        classify_s=t1 - t0,
        train_s=t2 - t1,
    )
