"""The curve doctor: read a training history and name what its curves show.

    report = diagnose(history)                     # a Keras History or a dict of lists
    report.codes                                   # ['overfitting', 'noisy_validation']
    report.findings[0].evidence                    # {'best_epoch': 4, 'val_rise': 0.24, ...}
    print(report)                                  # plain text; a notebook shows it as HTML

It reads numbers only (no TensorFlow needed) and names what it sees with the nine codes of
the course (listed in ``CODES`` below). Findings come most important first, in the
order of ``CODES``: a run that diverges or jumps about has to be fixed before anything else
in its curves means much; then whether the model can fit at all; then whether it
generalises; then whether it simply needs more epochs; last, two ways the validation curve
can mislead.

How each code is decided
------------------------
Every rule is scale-free: a loss is compared with itself (its first value, its level, its
best value), never with a fixed number, so an MSE of 1e4 and a cross-entropy of 0.3 are read
alike (a test scales a whole fixture set by 1e4). Notation: ``t`` and ``v`` are the training
and validation curves of the main metric (``loss``; for an accuracy-only history the error
``1 - accuracy``), ``n`` the number of epochs, ``S`` the starting scale ``max(|t[1]|,
|v[1]|)``, ``W`` the recent window ``clamp(round(n / 5), 2, 5)`` epochs (seed 002's
``EarlyStopping(patience=5)``, shorter for short runs), "improving" a least-squares slope
over the last ``W + 1`` epochs that gains at least ``IMPROVING_PER_EPOCH`` (1%) of the
curve's level and ``IMPROVING_OF_START`` (0.5%) of ``S`` per epoch; or, when the last
``IMPROVING_TAIL_SHARE`` (20%) of the epochs span more than ``W``, a slope of at least
``IMPROVING_LONG_PER_EPOCH`` (0.5%) of the level per epoch over both those epochs and the
last ``W + 1``. Why two rules: the test against ``S`` keeps a loss near its floor (MNIST 0
against 1 at 0.001, 1% of its start, still halving; a curve ``0.1 + 0.9 e^(-t/3)`` at 20
epochs) from reading "still improving", but it also hid lesson 01's 100-epoch SGD runs,
whose loss fell 99% from a large first MSE and still falls 0.8% (lr 0.01) or 1.6% (lr 0.001)
of its level per epoch. A steady fall of 10% over the last fifth of a long run is neither
noise nor the tail of an exponential: more epochs still pay. Third, a curve that has not
slowed down counts too: a recent slope of at least 0.5% of the level per epoch that is at
least ``IMPROVING_STEADY_SHARE`` (70%) of the run's average slope (lesson 07's SGD at
0.001 crawls down 0.9% per epoch in a straight line, 87% of its average pace: slow, but
nowhere near levelling off; lesson 08's all-zero initialisation, at 53%, is slowing down).

- ``diverging``: any loss value is NaN or inf, or the last training loss is more than
  ``DIVERGE_FACTOR`` (2) times the first. Rules below then look only at the epochs before
  the first NaN/inf.
- ``unstable``: the training loss rises, from one epoch to the next, by at least
  ``UNSTABLE_RISE`` (5%) of its level (or of the progress made so far, if smaller) at least
  ``UNSTABLE_MIN_RISES`` (2) times, falls again in between, and its rises add up to
  ``UNSTABLE_TOTAL_RISE`` (2%) of its level per epoch on average. A training curve is an
  average over a whole epoch: it falls almost monotonically unless the steps overshoot.
- ``not_learning``: the training loss stays within ``NOT_LEARNING_BAND`` (5%) of its first
  value; or, with ``n_classes``/``baseline_loss``, the validation loss (the training loss if
  there is no validation) never gets 5% below the chance-level loss (``ln K`` for K balanced
  classes with cross-entropy, ``ln 2`` binary) and never falls ``NOT_LEARNING_CHANCE_FALL``
  (20%) below its own first value (a loss that falls by a large factor is learning, whatever
  the chance level: a 10-class loss falling from 250 to 68, far above ln 10 = 2.3, after a
  too-large initialisation, or a regression loss falling from 9.4 to 1.8 against a target
  variance of 1.2, is learning, not stuck at chance); or, with a majority rate
  (``baseline_accuracy``, or 1/K), the validation accuracy never rises 5% of the remaining way
  above it. Or, with those hints, the run ends stuck at chance: over the last ``W``
  epochs the training loss is flat (within 5%) and no lower than 95% of the chance-level loss,
  and the validation accuracy stays within 5% of the way above the majority rate (lesson
  07's SGD at 3.0: one wild first epoch, then every ReLU dead and the same answer for every
  image). Causes: a learning rate far too low, vanishing gradients, a bug (labels shuffled:
  a big model may still memorise them, so the training loss falls, but nothing carries over).
- ``underfitting``: the training loss has levelled off (not improving) at a "high" value: at
  least ``UNDERFIT_FRACTION`` (0.3) of the chance-level loss when it is known, else of ``S``;
  or the training accuracy covers less than ``UNDERFIT_ACCURACY_SHARE`` (half) of the way from
  the majority rate to 1. "High" cannot be known from curves alone (it depends on the best
  loss the task allows); the hints make it more reliable. When the run is ``unstable``, its
  recent slope is noise, so only the level is judged (lesson 07's SGD at 1.0 lurches around
  a loss of 1.0 to 1.3, half the chance level, on every machine tried).
- ``overfitting``: the validation loss reaches its minimum at least ``OVERFIT_MIN_AFTER`` (2)
  epochs before the end, the mean of the last 3 epochs is at least ``OVERFIT_RISE`` (10%)
  above that minimum (and 1% of ``S``), and the training loss is at least 10% lower at the
  end than at the minimum: the two curves move apart ("validation minimum before the last
  epoch": what EarlyStopping with ``restore_best_weights=True`` would return to). Or the
  same with accuracy: the validation accuracy falls ``OVERFIT_ACCURACY_DROP`` (2 points)
  below its best while the training error falls by 10%. Or the final accuracy gap is at
  least ``OVERFIT_GAP`` (15 points).
  A rise or a drop counts only if it is at least ``OVERFIT_NOISE_MULTIPLE`` (2) times the
  curve's typical zigzag (the median distance of a value from the midpoint of its two
  neighbours): on a curve that jumps by 0.7 every other epoch (SGD at a learning rate of
  1.0), a minimum followed by a "rise" of 0.5 is the jumping, not the model memorising.
- ``still_improving``: both curves improving over the last ``W`` epochs, and the best
  validation value is among them: stopped too early. (Keras's own plateau tests use an
  absolute ``min_delta``: 1e-4 in ``ReduceLROnPlateau``, 0 in ``EarlyStopping``; they decide
  when to act, one epoch at a time. Here the question is whether more epochs are worth a
  learner's time, so the bar is relative and higher: about 5% over the next 5 epochs.)
- ``val_better_than_train``: the validation loss is below the training loss in at least
  ``VAL_BETTER_SHARE`` (80%) of the epochs with a median margin of 2% of ``S``, or the
  validation accuracy is above the training accuracy as often with a median margin of 1
  point. The evidence says whether epoch averaging explains it (each validation value lies
  above the next epoch's training value) or something more (layers that act only in
  training, such as dropout; class-weighted training metrics; an easier or leaked validation
  set). The Keras FAQ names dropout and L1/L2, but L1/L2 penalties are in both losses in Keras 3.
- ``noisy_validation``: the validation curve zigzags: its "excess travel" (the total
  variation minus the path of a curve that falls and then rises once) averages at least
  ``NOISY_LOSS_PER_EPOCH`` (6.5%) per epoch on a log scale for the loss (the linear scale,
  against ``S``, if a loss is not positive), or ``NOISY_ACCURACY_PER_EPOCH`` (1 point) per
  epoch for accuracy, and ``NOISY_RATIO`` (3) times the training curve's. Per epoch, so a
  long run's many small wiggles do not add up to an alarm (lesson 05's 30 epochs wobble
  0.3 points per epoch on 500 images); on a log scale, so a jump of 20% reads the same at a
  loss of 1.0 and of 0.1. The step of the validation accuracy (one example out of N moves
  it by 1/N) gives an estimate of the validation-set size.
- ``healthy``: none of the above, and the validation curves exist.

Co-occurrence: ``diverging`` stands alone except for ``unstable`` before the blow-up;
``unstable`` suppresses ``still_improving`` and ``noisy_validation`` (a jumping training
curve explains a jumping validation curve); ``not_learning`` suppresses ``underfitting``,
``still_improving``, ``val_better_than_train`` and ``noisy_validation`` (at chance, the gap
between two curves means nothing); ``healthy`` only ever stands alone. Other pairs are
reported together; the fixtures hold real runs with ``unstable`` + ``overfitting`` (Adam at
0.05: the validation loss climbs while the training loss jumps), ``unstable`` +
``underfitting`` (SGD at 1.0: the loss never settles low) and ``still_improving`` +
``val_better_than_train`` (epoch averaging and dropout in short runs).

Sources of the numbers: the chance-level loss ln K is the cross-entropy of predicting 1/K
for every class; Keras 3's ``ReduceLROnPlateau`` defaults to ``min_delta=1e-4, patience=10``
and ``EarlyStopping`` to ``min_delta=0, patience=0, restore_best_weights=False``; seed 002
uses ``EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)``; the two
causes of validation above training are the Keras FAQ's (quoted in seed 001). The other
ratios are this course's choices, set with margin around the real runs of
``tests/fixtures/histories`` (the tests pin them).

A history without validation curves gets the training-only findings and a note ("no
validation curves: pass validation_data to fit"); fewer than ``MIN_EPOCHS`` (3) epochs get a
note instead of trends. Bad arguments raise ``ValueError`` or ``TypeError`` with one sentence.
"""

from __future__ import annotations

import html
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from lessons_lib.checklist import Item
from lessons_lib.checklist import item as checklist_item
from lessons_lib.checks import check_int, check_number
from lessons_lib.history import HistoryLike, as_history_dict, higher_is_better, metric_names

#: The nine codes, most important first (the order of ``Diagnosis.findings``).
CODES = (
    "diverging",
    "unstable",
    "not_learning",
    "underfitting",
    "overfitting",
    "still_improving",
    "val_better_than_train",
    "noisy_validation",
    "healthy",
)

#: The lesson notebook that shows each code.
LESSONS = {
    "diverging": "07_learning_rate_and_batch_size",
    "unstable": "07_learning_rate_and_batch_size",
    "not_learning": "08_troubleshooting_checklist",
    "underfitting": "06_overfitting_regularization_early_stopping",
    "overfitting": "06_overfitting_regularization_early_stopping",
    "still_improving": "07_learning_rate_and_batch_size",
    "val_better_than_train": "03_dropout_val_above_train",
    "noisy_validation": "07_learning_rate_and_batch_size",
    "healthy": "00_start_here",
}

#: The checklist items (``lessons_lib.checklist`` ids) that apply to each code, most useful first.
ADVICE = {
    "diverging": (
        "reason.lr_too_high",
        "reason.data_preprocessing",
        "reason.vanishing_exploding_gradients",
        "reason.initialization",
        "improve.learning_rate_tuning",
    ),
    "unstable": (
        "reason.lr_too_high",
        "culprit.learning_rate",
        "culprit.batch_size",
        "improve.batch_size",
        "improve.learning_rate_tuning",
    ),
    "not_learning": (
        "reason.bugs_in_code",
        "culprit.learning_rate",
        "reason.vanishing_exploding_gradients",
        "reason.initialization",
        "reason.incorrect_loss",
        "reason.data_preprocessing",
    ),
    "underfitting": (
        "improve.model_complexity",
        "reason.lr_decay_too_fast",
        "improve.learning_rate_tuning",
        "improve.feature_engineering",
        "improve.normalization",
    ),
    "overfitting": (
        "reason.overfitting",
        "improve.early_stopping",
        "improve.regularization",
        "reason.insufficient_data",
        "improve.augmentation",
        "reason.complex_model",
    ),
    "still_improving": (
        "reason.insufficient_training",
        "improve.learning_rate_tuning",
        "improve.early_stopping",
    ),
    "val_better_than_train": (
        "val_above.regularization_in_training_only",
        "val_above.epoch_averaging",
        "val_above.easier_validation",
        "culprit.validation_leak",
        "val_above.not_underfitting_by_itself",
    ),
    "noisy_validation": (
        "culprit.data_quality_and_size",
        "culprit.batch_size",
        "culprit.learning_rate",
    ),
    "healthy": ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
}

TITLES = {
    "diverging": "Diverging",
    "unstable": "Unstable training",
    "not_learning": "Not learning",
    "underfitting": "Underfitting",
    "overfitting": "Overfitting",
    "still_improving": "Still improving",
    "val_better_than_train": "Validation better than training",
    "noisy_validation": "Noisy validation curve",
    "healthy": "Healthy",
}

# ---------------------------------------------------------------------------------------
# Thresholds. Each is a ratio (scale-free); the module docstring says how each is used.

#: Fewer epochs than this show no trend: the report says so instead of guessing.
MIN_EPOCHS = 3
#: Recent window: ``clamp(round(n / 5), 2, 5)`` epochs; 5 is seed 002's EarlyStopping patience.
RECENT_MIN, RECENT_MAX = 2, 5
#: "Improving": the recent slope gains 1% of the curve's level per epoch (5% over 5 epochs,
#: well above the epoch-to-epoch noise of a validation loss on ~1,000 examples) ...
IMPROVING_PER_EPOCH = 0.01
#: ... and 0.5% of the starting scale per epoch (so a loss already near zero, which can still
#: halve every few epochs, does not count as "still improving") ...
IMPROVING_OF_START = 0.005
#: ... or, in a run long enough that its last 20% spans more than the recent window, 0.5% of
#: the level per epoch both over that last 20% (10% in all) and over the recent window, with
#: no test against the start: a slow, steady fall over many epochs is no noise and no
#: asymptote (lesson 01's SGD at 0.01 and 0.001, 100 epochs).
IMPROVING_TAIL_SHARE = 0.2
IMPROVING_LONG_PER_EPOCH = 0.005
#: ... or, a recent slope of 0.5% of the level per epoch that is at least 70% of the run's
#: average slope: a curve that has not slowed down is not levelling off, however slow it is.
IMPROVING_STEADY_SHARE = 0.7
#: A last training loss above twice the first is divergence: the optimizer made it worse than
#: where it started.
DIVERGE_FACTOR = 2.0
#: A rise of the training loss of 5% of its level counts as a jump (levels below 10% of the
#: start are taken as 10% of the start, so the tiny jitter of a loss near zero is no jump).
UNSTABLE_RISE = 0.05
UNSTABLE_LEVEL_FLOOR = 0.1
UNSTABLE_MIN_RISES = 2
UNSTABLE_TOTAL_RISE = 0.02
#: Within 5% of its first value (or of chance) the loss has "barely moved".
NOT_LEARNING_BAND = 0.05
#: The chance-level test also needs the judged loss never to fall 20% below its own first
#: value: a loss that falls by a large factor is learning, whatever the chance level (after a
#: too-large initialisation a 10-class loss can fall from 250 to 68, far above ln 10).
NOT_LEARNING_CHANCE_FALL = 0.2
#: "High": the training loss ends above 30% of the chance-level loss (or of the first loss);
#: for 10 balanced classes, 0.69, an accuracy of roughly 80%.
UNDERFIT_FRACTION = 0.3
#: ... or the training accuracy covers less than half the way from the majority rate to 1.
UNDERFIT_ACCURACY_SHARE = 0.5
#: Overfitting: the validation minimum at least 2 epochs before the end, and 10% risen since.
OVERFIT_MIN_AFTER = 2
OVERFIT_RISE = 0.10
OVERFIT_RISE_OF_START = 0.01
OVERFIT_ACCURACY_DROP = 0.02
#: A final training accuracy 15 points above the validation accuracy is overfitting even if
#: the validation curve has not turned.
OVERFIT_GAP = 0.15
#: "Consistently": in at least 80% of the epochs, by a median margin of 2% of the start (loss)
#: or 1 point (accuracy).
VAL_BETTER_SHARE = 0.8
VAL_BETTER_MARGIN = 0.02
VAL_BETTER_ACCURACY_MARGIN = 0.01
#: ... and only if it stands out of the curve's own zigzag: twice the median zigzag.
OVERFIT_NOISE_MULTIPLE = 2.0
#: Noisy validation: excess travel per epoch of 6.5% on a log scale (loss) or 1 point
#: (accuracy), and 3x the training curve's. Set between the real runs: calm validation curves
#: travel at most 5.9% (lesson 05 with augmentation) and 0.6 points (lesson 06 with dropout)
#: per epoch, noisy ones at least 7.7% (SGD, batch 8) and 1.2 points (lesson 07's rollercoaster).
NOISY_LOSS_PER_EPOCH = 0.065
NOISY_ACCURACY_PER_EPOCH = 0.01
NOISY_RATIO = 3.0

_TINY = 1e-12


class DiagnosisError(ValueError):
    """The history or a hint cannot be read; the message says what was wrong in one sentence."""


# ---------------------------------------------------------------------------------------
# the report


@dataclass(frozen=True)
class Finding:
    """One thing the curves show: a code, the numbers behind it, a sentence, and what to try."""

    code: str
    message: str
    evidence: Mapping[str, Any]
    evidence_text: str
    advice: tuple[Item, ...]
    lesson: str

    @property
    def title(self) -> str:
        return TITLES[self.code]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): code, message, evidence, advice ids, lesson."""
        return {
            "code": self.code,
            "message": self.message,
            "evidence": dict(self.evidence),
            "evidence_text": self.evidence_text,
            "advice": [entry.id for entry in self.advice],
            "lesson": self.lesson,
        }

    def __str__(self) -> str:
        advice = "; ".join(entry.title for entry in self.advice)
        return (
            f"{self.code}: {self.message}\n"
            f"    evidence: {self.evidence_text}\n"
            f"    try: {advice}\n"
            f"    lesson: {self.lesson}"
        )


@dataclass(frozen=True)
class Diagnosis:
    """What ``diagnose`` returns: findings (most important first), notes, and what was read."""

    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    epochs: int = 0
    metrics: tuple[str, ...] = ()
    hints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """The findings' codes, most important first."""
        return [finding.code for finding in self.findings]

    @property
    def headline(self) -> str:
        """One line for a slider panel: the first finding's sentence, or the first note."""
        if self.findings:
            return f"{self.findings[0].code}: {self.findings[0].message}"
        return self.notes[0] if self.notes else "no findings"

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __getitem__(self, code: str) -> Finding:
        for finding in self.findings:
            if finding.code == code:
                return finding
        raise KeyError(f"no {code!r} finding in this report; it has {self.codes}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "codes": self.codes,
            "findings": [finding.to_dict() for finding in self.findings],
            "notes": list(self.notes),
            "epochs": self.epochs,
            "metrics": list(self.metrics),
            "hints": dict(self.hints),
        }

    def __str__(self) -> str:
        epochs = f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}"
        head = f"Curve doctor ({epochs}): {', '.join(self.codes) or 'no verdict'}"
        lines = [head]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"{index}. {finding}" for index, finding in enumerate(self.findings, start=1)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Diagnosis {self.codes} ({self.epochs} epochs)>"

    def _repr_html_(self) -> str:
        escape = html.escape
        parts = [
            "<div class='curve-doctor'>",
            f"<p><b>Curve doctor</b> ({self.epochs} epoch{'s' if self.epochs != 1 else ''}): "
            f"<code>{escape(', '.join(self.codes) or 'no verdict')}</code></p>",
        ]
        parts += [f"<p><i>Note:</i> {escape(note)}</p>" for note in self.notes]
        if self.findings:
            parts.append("<table><tr><th>code</th><th>what the curves show</th><th>try</th><th>lesson</th></tr>")
            for finding in self.findings:
                advice = "<br>".join(
                    f"{escape(entry.title)} <small>({escape(entry.id)})</small>" for entry in finding.advice
                )
                parts.append(
                    f"<tr><td><code>{escape(finding.code)}</code></td>"
                    f"<td>{escape(finding.message)}<br><small>{escape(finding.evidence_text)}</small></td>"
                    f"<td>{advice}</td><td><code>{escape(finding.lesson)}</code></td></tr>"
                )
            parts.append("</table>")
        parts.append("</div>")
        return "".join(parts)


# ---------------------------------------------------------------------------------------
# reading the curves


@dataclass
class _Curves:
    """The curves the rules read, all oriented so that lower is better."""

    metric: str  # the main metric's name ("loss", or "accuracy" for an accuracy-only history)
    is_error: bool  # True if t and v are 1 - accuracy
    t: list[float]
    v: list[float] | None
    acc_metric: str | None  # an accuracy-like metric with a validation curve, if any
    acc_t: list[float] | None  # accuracy values (higher is better), as logged
    acc_v: list[float] | None
    scale: float
    n: int
    window: int
    chance_loss: float | None
    chance_error: float | None  # 1 - majority rate
    baseline_accuracy: float | None


def diagnose(
    history: HistoryLike,
    *,
    n_classes: int | None = None,
    baseline_accuracy: float | None = None,
    baseline_loss: float | None = None,
) -> Diagnosis:
    """Read a training history and return a ``Diagnosis`` of what its curves show.

    ``history`` is a Keras ``History`` or a dict of per-epoch lists with Keras's names
    (``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, any metric ``m`` with ``val_m``).
    Optional hints make the "is the loss high?" questions more reliable:

    - ``n_classes``: number of classes of a classifier trained with cross-entropy; the
      chance-level loss is then ln(n_classes) (ln 2 for binary) and the chance accuracy
      1 / n_classes.
    - ``baseline_accuracy``: the majority-class rate (for imbalanced data, e.g. 0.89 for one
      digit against the nine others).
    - ``baseline_loss``: the loss of a model that ignores its input (for MSE, the variance of
      the training targets, ``np.var(y_train)``); overrides the ln K of ``n_classes``.
    """
    hints = _check_hints(n_classes, baseline_accuracy, baseline_loss)
    curves = as_history_dict(history)
    names = metric_names(curves)
    orphans = [key for key in curves if key.startswith("val_") and key[4:] not in curves]
    if not names:
        raise DiagnosisError(
            f"history has validation curves ({', '.join(sorted(curves))}) but no training curves: "
            "pass the whole history.history of fit"
        )
    notes: list[str] = []
    if orphans:
        notes.append(f"ignored {', '.join(orphans)}: no training curve with the same name")
    paired = [name for name in names if f"val_{name}" in curves]
    if not paired:
        notes.append("no validation curves: pass validation_data=(x_val, y_val) to fit to see overfitting")
    main = _main_metric(names, paired)
    acc_metric = next((name for name in paired if higher_is_better(name)), None)
    if acc_metric is None and not paired:
        acc_metric = next((name for name in names if higher_is_better(name)), None)
    n = len(curves[main])
    used = tuple(key for key in (main, f"val_{main}", acc_metric, f"val_{acc_metric}") if key and key in curves)

    findings: list[Finding] = []
    broken = _nonfinite(curves, used)
    if broken:
        findings.append(_diverging_nonfinite(curves, main, broken))
        n = broken[1] - 1  # analyse only the epochs before the first NaN/inf
    if n < MIN_EPOCHS:
        if not broken:
            notes.append(
                f"only {n} epoch{'s' if n != 1 else ''}: the doctor needs at least {MIN_EPOCHS} epochs to see "
                "a trend; train for more epochs"
            )
        return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))

    c = _prepare(curves, main, acc_metric, n, hints)
    if broken:
        unstable = _unstable(c)
        findings += [unstable] if unstable else []
        return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))

    found: dict[str, Finding] = {}
    for rule in (_diverging_growth, _unstable, _not_learning):
        finding = rule(c)
        if finding:
            found[finding.code] = finding
    underfitting = _underfitting(c, jumping="unstable" in found)
    found.update({"underfitting": underfitting} if underfitting else {})
    for rule in (_overfitting, _still_improving):
        finding = rule(c)
        if finding:
            found[finding.code] = finding
    if c.v is not None:
        for rule in (_val_better_than_train, _noisy_validation):
            finding = rule(c)
            if finding:
                found[finding.code] = finding
    if "diverging" in found:
        found = {code: found[code] for code in ("diverging", "unstable") if code in found}
    if "unstable" in found:
        found.pop("still_improving", None)
        found.pop("noisy_validation", None)
    if "not_learning" in found:  # at chance, comparisons of the two curves mean nothing
        for code in ("underfitting", "still_improving", "val_better_than_train", "noisy_validation"):
            found.pop(code, None)
    if not found and c.v is not None:
        found["healthy"] = _healthy(c)
    findings += [found[code] for code in CODES if code in found]
    if c.t[0] < 0 or min(c.t) < 0:
        notes.append("the training loss is negative: if it is a cross-entropy, some labels are outside 0..1")
    return Diagnosis(tuple(findings), tuple(notes), len(curves[main]), used, MappingProxyType(hints))


def _check_hints(n_classes: Any, baseline_accuracy: Any, baseline_loss: Any) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    if n_classes is not None:
        hints["n_classes"] = check_int("n_classes", n_classes, low=2)
    if baseline_accuracy is not None:
        hints["baseline_accuracy"] = check_number(
            "baseline_accuracy", baseline_accuracy, low=0, high=1, low_inclusive=False, high_inclusive=False
        )
        if n_classes is not None and hints["baseline_accuracy"] < 1 / n_classes - 1e-9:
            raise DiagnosisError(
                f"baseline_accuracy must be at least 1/n_classes = {1 / n_classes:.3g} (the majority class is at "
                f"least that common), got {baseline_accuracy!r}"
            )
    if baseline_loss is not None:
        hints["baseline_loss"] = check_number("baseline_loss", baseline_loss, low=0, low_inclusive=False)
    return hints


def _main_metric(names: Sequence[str], paired: Sequence[str]) -> str:
    """``loss`` if it has a validation curve, else another loss-like pair, else an accuracy pair."""
    for candidates in (paired, names):
        if "loss" in candidates:
            return "loss"
        lower = [name for name in candidates if not higher_is_better(name)]
        if lower:
            return lower[0]
        if candidates:
            return candidates[0]
    raise AssertionError("unreachable: names is not empty")


def _nonfinite(curves: Mapping[str, Sequence[float]], used: Sequence[str]) -> tuple[str, int] | None:
    """The key and 1-based epoch of the first NaN/inf among the curves read (loss first)."""
    first: tuple[str, int] | None = None
    keys = list(used) + [key for key in curves if key not in used and key not in ("learning_rate", "lr")]
    for key in keys:
        for epoch, value in enumerate(curves[key], start=1):
            if not math.isfinite(value):
                if first is None or epoch < first[1]:
                    first = (key, epoch)
                break
    return first


def _prepare(
    curves: Mapping[str, Sequence[float]], main: str, acc_metric: str | None, n: int, hints: Mapping[str, Any]
) -> _Curves:
    is_error = higher_is_better(main)
    t = list(curves[main][:n])
    v = list(curves[f"val_{main}"][:n]) if f"val_{main}" in curves else None
    if is_error:
        t = [1 - value for value in t]
        v = [1 - value for value in v] if v is not None else None
    acc_t = list(curves[acc_metric][:n]) if acc_metric else None
    acc_v = list(curves[f"val_{acc_metric}"][:n]) if acc_metric and f"val_{acc_metric}" in curves else None
    firsts = [abs(t[0])] + ([abs(v[0])] if v is not None else [])
    scale = max(firsts)
    if scale < _TINY:
        scale = max([abs(value) for value in t + (v or [])] + [_TINY])
    n_classes = hints.get("n_classes")
    baseline_accuracy = hints.get("baseline_accuracy") or (1 / n_classes if n_classes else None)
    chance_loss = hints.get("baseline_loss")
    if chance_loss is None and n_classes:
        if n_classes == 2 and "baseline_accuracy" in hints:
            p = hints["baseline_accuracy"]
            chance_loss = -(p * math.log(p) + (1 - p) * math.log(1 - p))  # entropy of the class prior
        else:
            chance_loss = math.log(n_classes)
    chance_error = 1 - baseline_accuracy if baseline_accuracy else None
    if is_error:  # the main curve is an error rate: its chance level is the majority error
        chance_loss = chance_error
    window = min(RECENT_MAX, max(RECENT_MIN, round(n / 5)))
    return _Curves(
        main, is_error, t, v, acc_metric, acc_t, acc_v, scale, n, window, chance_loss, chance_error, baseline_accuracy
    )


# ---------------------------------------------------------------------------------------
# measures


def _slope(values: Sequence[float]) -> float:
    """Least-squares slope per epoch."""
    count = len(values)
    mean_x = (count - 1) / 2
    mean_y = sum(values) / count
    numerator = sum((index - mean_x) * (value - mean_y) for index, value in enumerate(values))
    denominator = sum((index - mean_x) ** 2 for index in range(count))
    return numerator / denominator


def _improvement(values: Sequence[float], window: int, scale: float) -> tuple[float, float]:
    """Recent gain per epoch (positive = falling), relative to the curve's level and to the scale."""
    recent = values[-(window + 1) :]
    gain = -_slope(recent)
    level = max(abs(sum(recent) / len(recent)), _TINY)
    return gain / level, gain / scale


def _improving(values: Sequence[float], c: _Curves) -> bool:
    """Falling by a meaningful share of the curve's own level: fast lately, or slowly but long."""
    of_level, of_start = _improvement(values, c.window, c.scale)
    if of_level >= IMPROVING_PER_EPOCH and of_start >= IMPROVING_OF_START:
        return True
    if of_level < IMPROVING_LONG_PER_EPOCH:
        return False
    average_gain = (values[0] - values[-1]) / (len(values) - 1)
    recent_gain = -_slope(values[-(c.window + 1) :])
    if average_gain > 0 and recent_gain >= IMPROVING_STEADY_SHARE * average_gain:
        return True
    tail = round(IMPROVING_TAIL_SHARE * c.n)
    if tail <= c.window:
        return False
    of_tail, _ = _improvement(values, tail, c.scale)
    return of_tail >= IMPROVING_LONG_PER_EPOCH


def _excess_travel(values: Sequence[float]) -> float:
    """Total variation beyond that of a curve that falls to its minimum and rises once."""
    total = sum(abs(b - a) for a, b in zip(values, values[1:], strict=False))
    lowest = min(values)
    return max(0.0, total - (values[0] - lowest) - (values[-1] - lowest))


def _zigzag(values: Sequence[float]) -> float:
    """Typical epoch-to-epoch jitter: the median distance of a value from its neighbours' midpoint."""
    if len(values) < 3:
        return 0.0
    return statistics.median(abs(values[i] - (values[i - 1] + values[i + 1]) / 2) for i in range(1, len(values) - 1))


def _rises(values: Sequence[float], scale: float) -> list[tuple[int, float]]:
    """(1-based epoch, relative rise) for every epoch where the curve went up.

    A rise is measured against the curve's level or against the progress made so far
    (first value minus lowest), whichever is smaller, but never against less than 10% of the
    starting scale: a jump that undoes a third of the progress counts even at a high level,
    and the jitter of a loss near zero (or of one that never moved) does not.
    """
    floor = UNSTABLE_LEVEL_FLOOR * scale
    progress = values[0] - min(values)
    return [
        (epoch, (b - a) / max(min(abs(a), progress), floor))
        for epoch, (a, b) in enumerate(zip(values, values[1:], strict=False), start=2)
        if b > a
    ]


def _tail_mean(values: Sequence[float], count: int) -> float:
    tail = values[-count:]
    return sum(tail) / len(tail)


def _g(value: float) -> str:
    """A number for a sentence: 3 significant digits."""
    return f"{value:.3g}"


def _pct(value: float) -> str:
    percent = round(100 * value)
    return f"{percent + 0:d}%" if abs(value) < 100 else f"{_g(100 * value)}%"


def _finding(code: str, message: str, evidence: dict[str, Any], text: str) -> Finding:
    clean = {key: (float(f"{value:.6g}") if isinstance(value, float) else value) for key, value in evidence.items()}
    return Finding(
        code,
        message,
        MappingProxyType(clean),
        text,
        tuple(checklist_item(item_id) for item_id in ADVICE[code]),
        LESSONS[code],
    )


def _name(c: _Curves, validation: bool = False) -> str:
    metric = f"{'validation' if validation else 'training'} {c.metric.replace('_', ' ')}"
    return f"{metric} error" if c.is_error else metric


# ---------------------------------------------------------------------------------------
# the rules


def _diverging_nonfinite(curves: Mapping[str, Sequence[float]], main: str, broken: tuple[str, int]) -> Finding:
    key, epoch = broken
    value = curves[key][epoch - 1]
    kind = "NaN" if math.isnan(value) else "inf"
    finite = [x for x in curves[main][: epoch - 1] if math.isfinite(x)]
    evidence: dict[str, Any] = {"epoch": epoch, "curve": key, "value": kind}
    text = f"{key} is {kind} at epoch {epoch}"
    if finite:
        evidence.update(first_loss=finite[0], last_finite_loss=finite[-1])
        if len(finite) > 1 and finite[0] != 0:
            evidence["growth"] = finite[-1] / finite[0]
        if len(finite) > 1:
            text += f"; {main} went from {_g(finite[0])} to {_g(finite[-1])} before that"
        else:
            text += f"; {main} was {_g(finite[0])} at epoch 1"
    train_fine = all(math.isfinite(x) for x in curves[main])
    if key.startswith("val_") and train_fine:
        message = (
            f"The validation loss became {kind} at epoch {epoch} while the training loss stayed finite: "
            "check the validation data for NaN/inf or values far outside the training range."
        )
    else:
        message = f"Training diverged at epoch {epoch}: the loss became {kind}."
    return _finding("diverging", message, evidence, text)


def _diverging_growth(c: _Curves) -> Finding | None:
    first, last = c.t[0], c.t[-1]
    if last - first <= (DIVERGE_FACTOR - 1) * max(abs(first), _TINY):
        return None
    peak = max(range(c.n), key=lambda index: c.t[index]) + 1
    growth = last / first if first else math.inf
    evidence = {"first_loss": first, "last_loss": last, "growth": growth, "peak_epoch": peak}
    text = f"{_name(c)} {_g(first)} at epoch 1 -> {_g(last)} at epoch {c.n} ({_g(growth)}x)"
    return _finding(
        "diverging",
        f"The training loss grew from {_g(first)} to {_g(last)}: each step makes it worse (learning rate too high?).",
        evidence,
        text,
    )


def _unstable(c: _Curves) -> Finding | None:
    rises = _rises(c.t, c.scale)
    big = [(epoch, rise) for epoch, rise in rises if rise >= UNSTABLE_RISE]
    total = sum(rise for _, rise in rises) / (c.n - 1)
    if len(big) < UNSTABLE_MIN_RISES or total < UNSTABLE_TOTAL_RISE:
        return None
    # Up and down: the loss must also fall between the first and the last big rise (a loss
    # that only grows is diverging, not jumping).
    first, last = big[0][0], big[-1][0]
    if not any(c.t[index] < c.t[index - 1] for index in range(first, last - 1)):
        return None
    largest = max(big, key=lambda pair: pair[1])
    evidence = {
        "rises": len(big),
        "rise_epochs": [epoch for epoch, _ in big],
        "largest_rise": largest[1],
        "largest_rise_epoch": largest[0],
        "mean_rise_per_epoch": total,
    }
    text = (
        f"{_name(c)} rose by {_pct(UNSTABLE_RISE)} or more in {len(big)} of {c.n - 1} epochs "
        f"(largest +{_pct(largest[1])} at epoch {largest[0]})"
    )
    return _finding(
        "unstable",
        f"The training loss jumps up and down ({len(big)} rises) instead of falling steadily: the steps overshoot.",
        evidence,
        text,
    )


def _not_learning(c: _Curves) -> Finding | None:
    first = c.t[0]
    spread = max(abs(value - first) for value in c.t) / max(abs(first), _TINY)
    reasons = []
    evidence: dict[str, Any] = {"first_loss": first, "last_loss": c.t[-1], "largest_change": spread}
    if spread <= NOT_LEARNING_BAND:
        reasons.append(f"{_name(c)} stayed within {_pct(spread)} of its first value {_g(first)}")
    # At chance level: judged on the validation curve when there is one (a model that memorises
    # shuffled labels lowers its training loss but learns nothing that carries over).
    judged = c.v if c.v is not None else c.t
    which = _name(c, validation=c.v is not None)
    barely_fell = min(judged) >= (1 - NOT_LEARNING_CHANCE_FALL) * judged[0]
    if c.chance_loss is not None and min(judged) >= (1 - NOT_LEARNING_BAND) * c.chance_loss and barely_fell:
        evidence.update(chance_loss=c.chance_loss, lowest_loss=min(judged))
        reasons.append(f"{which} never went below the chance level {_g(c.chance_loss)} (lowest {_g(min(judged))})")
    accuracies = c.acc_v if c.acc_v is not None else c.acc_t
    if c.baseline_accuracy is not None and accuracies is not None:
        if max(accuracies) <= _chance_accuracy_bar(c.baseline_accuracy):
            kind = "validation" if c.acc_v is not None else "training"
            evidence.update(best_accuracy=max(accuracies), baseline_accuracy=c.baseline_accuracy)
            reasons.append(
                f"{kind} {c.acc_metric} never rose above {_g(max(accuracies))} "
                f"(majority rate {_g(c.baseline_accuracy)})"
            )
    stuck = _stuck_at_chance(c)
    if stuck and not reasons:
        evidence.update(stuck)
        reasons.append(
            f"over the last {c.window} epochs {_name(c)} stayed at {_g(stuck['recent_loss'])} "
            f"(chance level {_g(c.chance_loss)}) and validation {c.acc_metric} at {_g(stuck['recent_accuracy'])} "
            f"(majority rate {_g(c.baseline_accuracy)})"
        )
    if not reasons:
        return None
    if stuck and len(reasons) == 1:
        message = "The model ends stuck at the chance level: it gives the same answer whatever the input."
    elif spread <= NOT_LEARNING_BAND:
        message = "The model is not learning: the loss barely moves from where it started."
    else:
        message = "The model learns nothing that beats chance: its loss and accuracy stay at the chance level."
    return _finding("not_learning", message, evidence, "; ".join(reasons))


def _chance_accuracy_bar(baseline_accuracy: float) -> float:
    """An accuracy no higher than this has not risen 5% of the remaining way above the majority rate."""
    return baseline_accuracy + NOT_LEARNING_BAND * (1 - baseline_accuracy)


def _stuck_at_chance(c: _Curves) -> dict[str, float] | None:
    """Recent loss and accuracy if the run ends flat at chance level (needs both hints' numbers)."""
    if c.chance_loss is None or c.baseline_accuracy is None or c.acc_v is None or c.is_error:
        return None
    recent = c.t[-c.window :]
    level = sum(recent) / len(recent)
    flat = max(recent) - min(recent) <= NOT_LEARNING_BAND * level
    accuracy = max(c.acc_v[-c.window :])
    if (
        flat
        and level >= (1 - NOT_LEARNING_BAND) * c.chance_loss
        and accuracy <= _chance_accuracy_bar(c.baseline_accuracy)
    ):
        return {"recent_loss": level, "recent_accuracy": accuracy}
    return None


def _underfitting(c: _Curves, *, jumping: bool = False) -> Finding | None:
    """``jumping``: the training loss is unstable, so its recent slope is noise: judge the level only."""
    if not jumping and _improving(c.t, c):
        return None
    last = _tail_mean(c.t, 2)
    reference = c.chance_loss if c.chance_loss is not None else c.scale
    against = "the chance-level loss" if c.chance_loss is not None else "its first value"
    ratio = last / max(reference, _TINY)
    evidence: dict[str, Any] = {"last_loss": last, "reference": reference, "ratio": ratio}
    reasons = []
    if ratio >= UNDERFIT_FRACTION:
        reasons.append(f"{_name(c)} levelled off at {_g(last)}, {_pct(ratio)} of {against} ({_g(reference)})")
    if c.baseline_accuracy is not None and c.acc_t is not None:
        accuracy = _tail_mean(c.acc_t, 2)
        bar = c.baseline_accuracy + UNDERFIT_ACCURACY_SHARE * (1 - c.baseline_accuracy)
        evidence.update(train_accuracy=accuracy, baseline_accuracy=c.baseline_accuracy)
        if accuracy < bar:
            reasons.append(f"training accuracy {_g(accuracy)} against a majority rate of {_g(c.baseline_accuracy)}")
    if not reasons:
        return None
    return _finding(
        "underfitting",
        "The training loss has levelled off high: the model cannot fit even the training data well.",
        evidence,
        "; ".join(reasons),
    )


def _epochs(count: int) -> str:
    return "epoch" if count == 1 else f"{count} epochs"


def _overfitting(c: _Curves) -> Finding | None:
    reasons = []
    evidence: dict[str, Any] = {}
    if c.v is not None:
        best = min(range(c.n), key=lambda index: c.v[index])
        after = c.n - 1 - best
        if after >= OVERFIT_MIN_AFTER:
            end = _tail_mean(c.v, min(3, after))
            rise = end - c.v[best]
            relative = rise / max(abs(c.v[best]), _TINY)
            train_fell = _tail_mean(c.t, min(3, after)) <= (1 - OVERFIT_RISE) * c.t[best]
            above_noise = rise >= OVERFIT_NOISE_MULTIPLE * _zigzag(c.v)
            if relative >= OVERFIT_RISE and rise >= OVERFIT_RISE_OF_START * c.scale and train_fell and above_noise:
                evidence.update(
                    best_epoch=best + 1,
                    best_val_loss=c.v[best],
                    last_val_loss=end,
                    val_rise=relative,
                    train_loss_at_best=c.t[best],
                    last_train_loss=c.t[-1],
                )
                tail = min(3, after)
                reasons.append(
                    f"{_name(c, True)} lowest at epoch {best + 1} ({_g(c.v[best])}), {_pct(relative)} higher on "
                    f"average over the last {_epochs(tail)} ({_g(end)}) while {_name(c)} fell from "
                    f"{_g(c.t[best])} to {_g(_tail_mean(c.t, tail))}"
                )
    if c.acc_t is not None and c.acc_v is not None:
        best = max(range(c.n), key=lambda index: (c.acc_v[index], -index))
        after = c.n - 1 - best
        if after >= OVERFIT_MIN_AFTER:
            end = _tail_mean(c.acc_v, min(3, after))
            drop = c.acc_v[best] - end
            train_error, train_error_at_best = 1 - _tail_mean(c.acc_t, min(3, after)), 1 - c.acc_t[best]
            steady = train_error <= (1 - OVERFIT_RISE) * train_error_at_best
            if drop >= OVERFIT_ACCURACY_DROP and steady and drop >= OVERFIT_NOISE_MULTIPLE * _zigzag(c.acc_v):
                evidence.update(best_accuracy_epoch=best + 1, best_val_accuracy=c.acc_v[best], val_accuracy_drop=drop)
                reasons.append(
                    f"validation {c.acc_metric} best at epoch {best + 1} ({_g(c.acc_v[best])}), {_g(100 * drop)} "
                    f"points lower on average over the last {_epochs(min(3, after))} while training accuracy did not "
                    "fall"
                )
        gap = _tail_mean(c.acc_t, 2) - _tail_mean(c.acc_v, 2)
        if gap >= OVERFIT_GAP:
            evidence.update(accuracy_gap=gap)
            reasons.append(f"training {c.acc_metric} ends {_g(100 * gap)} points above validation")
    if not reasons:
        return None
    if "best_epoch" in evidence:
        message = (
            f"The validation loss was lowest at epoch {evidence['best_epoch']} and has risen "
            f"{_pct(evidence['val_rise'])} since, while the training loss kept falling."
        )
    elif "best_accuracy_epoch" in evidence:
        message = (
            f"The validation accuracy was highest at epoch {evidence['best_accuracy_epoch']} and has fallen since, "
            "while the training accuracy did not."
        )
    else:
        message = "The model does clearly better on its training data than on its validation data."
    return _finding("overfitting", message, evidence, "; ".join(reasons))


def _still_improving(c: _Curves) -> Finding | None:
    if not _improving(c.t, c):
        return None
    t_level, _ = _improvement(c.t, c.window, c.scale)
    evidence: dict[str, Any] = {"window": c.window, "train_gain_per_epoch": t_level}
    text = f"over the last {c.window} epochs {_name(c)} fell {_pct(t_level)} of its level per epoch"
    if c.v is not None:
        best = min(range(c.n), key=lambda index: c.v[index]) + 1
        if not _improving(c.v, c) or best < c.n - c.window:
            return None
        v_level, _ = _improvement(c.v, c.window, c.scale)
        evidence.update(val_gain_per_epoch=v_level, best_epoch=best)
        text += f", {_name(c, True)} {_pct(v_level)}; best validation epoch {best} of {c.n}"
        message = "Both curves are still falling at the last epoch: train longer (or with a larger learning rate)."
    else:
        message = "The training loss is still falling at the last epoch: train longer."
    return _finding("still_improving", message, evidence, text)


def _val_better_than_train(c: _Curves) -> Finding | None:
    assert c.v is not None
    reasons = []
    evidence: dict[str, Any] = {}
    share = sum(v < t for t, v in zip(c.t, c.v, strict=True)) / c.n
    margin = statistics.median((t - v) / c.scale for t, v in zip(c.t, c.v, strict=True))
    loss_better = share >= VAL_BETTER_SHARE and margin >= VAL_BETTER_MARGIN
    if loss_better:
        evidence.update(loss_share=share, loss_margin=margin)
        reasons.append(f"{_name(c, True)} below training in {round(share * c.n)} of {c.n} epochs")
    if c.acc_t is not None and c.acc_v is not None:
        acc_share = sum(v > t for t, v in zip(c.acc_t, c.acc_v, strict=True)) / c.n
        acc_margin = statistics.median(v - t for t, v in zip(c.acc_t, c.acc_v, strict=True))
        if acc_share >= VAL_BETTER_SHARE and acc_margin >= VAL_BETTER_ACCURACY_MARGIN:
            evidence.update(accuracy_share=acc_share, accuracy_margin=acc_margin)
            reasons.append(
                f"validation {c.acc_metric} above training in {round(acc_share * c.n)} of {c.n} epochs "
                f"(median +{_g(100 * acc_margin)} points)"
            )
    if not reasons:
        return None
    # Epoch averaging explains validation values that lie between this epoch's and the next
    # epoch's training values; anything lower needs another cause.
    explained = sum(c.v[index] >= c.t[index + 1] for index in range(c.n - 1)) / (c.n - 1)
    evidence["explained_by_epoch_averaging"] = explained >= VAL_BETTER_SHARE
    if evidence["explained_by_epoch_averaging"]:
        cause = (
            "as epoch averaging explains (a training value is an average over an epoch in which the model "
            "improved, a validation value is measured at its end)"
        )
    else:
        cause = (
            "by more than epoch averaging explains: look for layers that act only in training (dropout, "
            "Gaussian noise, random augmentation), training metrics weighted by class weights, or an easier or "
            "leaked validation set (L1/L2 penalties are in both losses and never in accuracy, so they are not it)"
        )
    return _finding(
        "val_better_than_train",
        f"The validation curves are consistently better than the training curves, {cause}.",
        evidence,
        "; ".join(reasons),
    )


def _noisy_validation(c: _Curves) -> Finding | None:
    assert c.v is not None
    reasons = []
    per_epoch = c.n - 1
    positive = min(c.v + c.t) > 0
    if positive:  # log scale: relative jumps, the same at any level of the loss
        excess_v = _excess_travel([math.log(value) for value in c.v]) / per_epoch
        excess_t = _excess_travel([math.log(value) for value in c.t]) / per_epoch
    else:
        excess_v, excess_t = (_excess_travel(curve) / c.scale / per_epoch for curve in (c.v, c.t))
    evidence: dict[str, Any] = {"val_excess_per_epoch": excess_v, "train_excess_per_epoch": excess_t}
    if excess_v >= NOISY_LOSS_PER_EPOCH and excess_v >= NOISY_RATIO * excess_t:
        unit = "" if positive else " of the starting loss"
        reasons.append(
            f"{_name(c, True)} zigzags {_pct(excess_v)}{unit} per epoch beyond a smooth path "
            f"(training: {_pct(excess_t)})"
        )
    if c.acc_t is not None and c.acc_v is not None:
        acc_v = _excess_travel([1 - value for value in c.acc_v]) / per_epoch
        acc_t = _excess_travel([1 - value for value in c.acc_t]) / per_epoch
        evidence.update(val_accuracy_excess_per_epoch=acc_v, train_accuracy_excess_per_epoch=acc_t)
        if acc_v >= NOISY_ACCURACY_PER_EPOCH and acc_v >= NOISY_RATIO * acc_t:
            reasons.append(
                f"validation {c.acc_metric} zigzags {_g(100 * acc_v)} points per epoch beyond a smooth path "
                f"(training: {_g(100 * acc_t)})"
            )
        size = _examples_from_steps(c.acc_v)
        if size:
            evidence["validation_size_estimate"] = size
    if not reasons:
        return None
    text = "; ".join(reasons)
    message = "The training curve is smooth but the validation curve jumps from epoch to epoch"
    if "validation_size_estimate" in evidence and evidence["validation_size_estimate"] <= 200:
        size = evidence["validation_size_estimate"]
        text += f"; validation accuracy moves in steps of 1/{size}: about {size} validation examples"
        message += f": with about {size} validation examples, each one moves the score"
    return _finding("noisy_validation", message + ".", evidence, text)


def _examples_from_steps(accuracies: Sequence[float]) -> int | None:
    """The validation-set size the accuracy values' granularity implies (1/step), if it is clear."""
    values = sorted({round(value, 6) for value in accuracies})
    steps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-6]
    if not steps:
        return None
    step = min(steps)
    size = round(1 / step)
    if size < 2 or size > 1000:
        return None
    if all(abs(value * size - round(value * size)) < 1e-3 * size for value in values):
        return size
    return None


def _healthy(c: _Curves) -> Finding:
    assert c.v is not None
    best = min(range(c.n), key=lambda index: c.v[index]) + 1
    gap = (c.v[-1] - c.t[-1]) / c.scale
    fell = 1 - c.v[best - 1] / c.v[0] if c.v[0] else 0.0
    evidence = {
        "best_epoch": best,
        "best_val_loss": c.v[best - 1],
        "last_train_loss": c.t[-1],
        "last_val_loss": c.v[-1],
        "final_gap": gap,
    }
    text = (
        f"{_name(c, True)} {_g(c.v[0])} -> best {_g(c.v[best - 1])} at epoch {best} of {c.n}; "
        f"final gap {_g(c.v[-1] - c.t[-1])} ({_pct(gap)} of the starting loss)"
    )
    message = (
        f"Both curves fell ({_name(c, True)} by {_pct(fell)}) and levelled off together with a small gap: "
        "nothing to fix."
    )
    return _finding("healthy", message, evidence, text)
