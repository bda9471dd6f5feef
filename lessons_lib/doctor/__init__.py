"""The curve doctor: read a training history and name what its curves show.

    report = diagnose(history)                     # a Keras History, a dict of lists, a DataFrame, a log's path
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

Inputs, live, command line
--------------------------
``inputs.py`` reads what users have (a Keras ``History``, a dict of lists or arrays with
Keras's or Lightning's names, a pandas ``DataFrame``, the path of a Keras or Lightning
``CSVLogger`` file or of a TensorBoard log folder, read by ``files.py``): counters (``epoch``,
``step``, ``lr``, ``time``) are never curves, accuracies logged in percent are divided by 100
with a note, and a NaN in a curve the rules do not read (an F1 score early on) is named in a
note, not read as divergence. ``DoctorCallback`` (``callback.py``) prints a one-line reading
during ``fit`` every few epochs and can stop training on chosen codes; ``python -m
lessons_lib.doctor PATH [--json] [--fail-on CODES]`` reads a log from the command line. The
package needs numpy only: TensorFlow and keras are imported by the callback alone, and
``tensorboard`` only to read a TensorBoard folder.

Modules: ``codes.py`` (the nine codes, titles, lessons, advice), ``thresholds.py``,
``inputs.py`` and ``files.py``, ``curves.py`` (the oriented curves and their measures),
``rules/`` (one function per code), ``core.py`` (``diagnose``), ``report.py`` (``Finding``,
``Diagnosis``), ``callback.py``, ``__main__.py``.
"""

from __future__ import annotations

from typing import Any

from lessons_lib.doctor.codes import ADVICE, CODES, LESSONS, TITLES
from lessons_lib.doctor.core import diagnose
from lessons_lib.doctor.report import Diagnosis, DiagnosisError, Finding
from lessons_lib.doctor.thresholds import (
    DIVERGE_FACTOR,
    IMPROVING_LONG_PER_EPOCH,
    IMPROVING_OF_START,
    IMPROVING_PER_EPOCH,
    IMPROVING_STEADY_SHARE,
    IMPROVING_TAIL_SHARE,
    MIN_EPOCHS,
    NOISY_ACCURACY_PER_EPOCH,
    NOISY_LOSS_PER_EPOCH,
    NOISY_RATIO,
    NOT_LEARNING_BAND,
    NOT_LEARNING_CHANCE_FALL,
    OVERFIT_ACCURACY_DROP,
    OVERFIT_GAP,
    OVERFIT_MIN_AFTER,
    OVERFIT_NOISE_MULTIPLE,
    OVERFIT_RISE,
    OVERFIT_RISE_OF_START,
    RECENT_MAX,
    RECENT_MIN,
    UNDERFIT_ACCURACY_SHARE,
    UNDERFIT_FRACTION,
    UNSTABLE_LEVEL_FLOOR,
    UNSTABLE_MIN_RISES,
    UNSTABLE_RISE,
    UNSTABLE_TOTAL_RISE,
    VAL_BETTER_ACCURACY_MARGIN,
    VAL_BETTER_MARGIN,
    VAL_BETTER_SHARE,
)

__all__ = [
    "ADVICE",
    "CODES",
    "LESSONS",
    "TITLES",
    "Diagnosis",
    "DiagnosisError",
    "Finding",
    "diagnose",
    "DIVERGE_FACTOR",
    "IMPROVING_LONG_PER_EPOCH",
    "IMPROVING_OF_START",
    "IMPROVING_PER_EPOCH",
    "IMPROVING_STEADY_SHARE",
    "IMPROVING_TAIL_SHARE",
    "MIN_EPOCHS",
    "NOISY_ACCURACY_PER_EPOCH",
    "NOISY_LOSS_PER_EPOCH",
    "NOISY_RATIO",
    "NOT_LEARNING_BAND",
    "NOT_LEARNING_CHANCE_FALL",
    "OVERFIT_ACCURACY_DROP",
    "OVERFIT_GAP",
    "OVERFIT_MIN_AFTER",
    "OVERFIT_NOISE_MULTIPLE",
    "OVERFIT_RISE",
    "OVERFIT_RISE_OF_START",
    "RECENT_MAX",
    "RECENT_MIN",
    "UNDERFIT_ACCURACY_SHARE",
    "UNDERFIT_FRACTION",
    "UNSTABLE_LEVEL_FLOOR",
    "UNSTABLE_MIN_RISES",
    "UNSTABLE_RISE",
    "UNSTABLE_TOTAL_RISE",
    "VAL_BETTER_ACCURACY_MARGIN",
    "VAL_BETTER_MARGIN",
    "VAL_BETTER_SHARE",
]


def __getattr__(name: str) -> Any:
    """``DoctorCallback`` is loaded on first use (and left out of ``__all__``): importing the doctor must not
    import keras."""
    if name == "DoctorCallback":
        from lessons_lib.doctor.callback import DoctorCallback

        return DoctorCallback
    raise AttributeError(f"module 'lessons_lib.doctor' has no attribute {name!r}")
