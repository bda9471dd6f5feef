"""A learning-rate range test: sweep the learning rate up during one short ``fit``, record the loss.

The idea is Leslie Smith's ("Cyclical Learning Rates for Training Neural Networks", 2017,
section 3.3), popularised by fastai's ``lr_find``: start from a learning rate far too small
to do anything, multiply it by the same factor after every batch until it is far too large,
and plot the loss of each batch against its learning rate on a log axis. The loss stays flat
while the rate is too small, falls where the rate is useful, and shoots up where it is too
large. A good constant rate is about a tenth of the rate at the bottom of the curve: at the
bottom the loss is already about to blow up.

Two details matter in Keras 3:

- The ``loss`` that ``fit`` passes to ``on_train_batch_end`` is the running mean over the
  batches of the epoch so far, not the loss of that batch. The callback recovers each batch's
  own loss from two consecutive means (``k * mean_k - (k - 1) * mean_(k-1)``). That holds for
  batches of equal size, so the last batch of an epoch, which may be smaller, is not recorded.
- A single batch's loss is noisy, so the suggestion reads an exponentially smoothed curve
  (with fastai's bias correction, so the first points are not pulled towards zero).

The sweep spreads over the whole ``fit`` call (``epochs`` times the steps per epoch) unless
``steps`` is given, and stops early once the smoothed loss is ``stop_factor`` times its lowest
value or the loss is no longer a finite number. The model is left wherever the sweep took it:
build a fresh one to train with the rate you pick.

Importing this module imports Keras, so call ``lessons_lib.setup()`` first in a notebook.
"""

from __future__ import annotations

import math
from typing import Any

import keras

from lessons_lib.checks import check_int, check_number


class LearningRateRangeTest(keras.callbacks.Callback):
    """Raise the learning rate exponentially from batch to batch and record each batch's loss.

    After ``model.fit(..., callbacks=[test])``: ``test.learning_rates`` and ``test.losses``
    (one pair per recorded batch), ``test.smoothed_losses``, and ``test.suggestion()``.
    """

    def __init__(
        self,
        min_learning_rate: float = 1e-5,
        max_learning_rate: float = 10.0,
        *,
        steps: int | None = None,
        smoothing: float = 0.9,
        stop_factor: float = 4.0,
    ) -> None:
        super().__init__()
        self.min_learning_rate = check_number("min_learning_rate", min_learning_rate, low=0, low_inclusive=False)
        self.max_learning_rate = check_number(
            "max_learning_rate", max_learning_rate, low=self.min_learning_rate, low_inclusive=False
        )
        self.steps = None if steps is None else check_int("steps", steps, low=2)
        self.smoothing = check_number("smoothing", smoothing, low=0, high=1, high_inclusive=False)
        self.stop_factor = check_number("stop_factor", stop_factor, low=1, low_inclusive=False)
        self.learning_rates: list[float] = []
        self.losses: list[float] = []
        self.smoothed_losses: list[float] = []

    # --- the sweep -------------------------------------------------------------------------

    def learning_rate_at(self, step: int) -> float:
        """The learning rate of batch ``step`` (0-based): the same factor up at every batch."""
        fraction = min(step / (self._total_steps - 1), 1.0)
        return self.min_learning_rate * (self.max_learning_rate / self.min_learning_rate) ** fraction

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        per_call = getattr(self.model, "steps_per_execution", 1) or 1
        if per_call > 1:  # Keras then calls the callback once per group of batches, not per batch
            raise ValueError(
                f"steps_per_execution must be 1 for a learning-rate range test (the rate changes before every "
                f"batch), got {per_call}: compile the model with steps_per_execution=1"
            )
        if self.steps is not None:
            self._total_steps = self.steps
        else:
            per_epoch, epochs = self.params.get("steps"), self.params.get("epochs")
            if not per_epoch or not epochs:
                raise ValueError(
                    "steps must be given when fit cannot tell how many batches an epoch has, got steps=None"
                )
            self._total_steps = max(int(per_epoch) * int(epochs), 2)
        self._steps_per_epoch = self.params.get("steps")
        self._step = 0
        self._average = 0.0
        self._best = math.inf
        self.learning_rates, self.losses, self.smoothed_losses = [], [], []

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._previous_mean = None

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._rate = self.learning_rate_at(self._step)
        self.model.optimizer.learning_rate = self._rate

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._step += 1
        mean = float((logs or {}).get("loss", math.nan))
        if not math.isfinite(mean):
            self.model.stop_training = True
            return
        previous, self._previous_mean = self._previous_mean, mean
        last_of_epoch = self._steps_per_epoch is not None and batch == self._steps_per_epoch - 1 and batch > 0
        if not last_of_epoch:
            loss = mean if previous is None else (batch + 1) * mean - batch * previous
            self._record(loss)
        if self._step >= self._total_steps:
            self.model.stop_training = True

    def _record(self, loss: float) -> None:
        self.learning_rates.append(self._rate)
        self.losses.append(loss)
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        smoothed = self._average / (1 - self.smoothing ** len(self.losses))
        self.smoothed_losses.append(smoothed)
        self._best = min(self._best, smoothed)
        if smoothed > self.stop_factor * self._best:
            self.model.stop_training = True

    # --- the reading -----------------------------------------------------------------------

    def best_learning_rate(self) -> float:
        """The learning rate where the smoothed loss was lowest."""
        if not self.smoothed_losses:
            raise ValueError("the range test has recorded no loss yet: pass it to model.fit(callbacks=[...]) first")
        lowest = min(range(len(self.smoothed_losses)), key=self.smoothed_losses.__getitem__)
        return self.learning_rates[lowest]

    def suggestion(self, fraction: float = 0.1) -> float:
        """``fraction`` of the learning rate at the lowest smoothed loss (a tenth by default)."""
        fraction = check_number("fraction", fraction, low=0, high=1, low_inclusive=False)
        return fraction * self.best_learning_rate()
