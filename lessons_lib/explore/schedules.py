"""A learning-rate schedule whose rate, shape and speed change without a new graph.

A Keras schedule is called with the optimizer's step counter inside the compiled training
step, so its numbers are baked into the graph: a slider that changed them would rebuild
the model every time. This one keeps them in variables, so a slider assigns them, and a
run follows ``ExponentialDecay(staircase=True)`` ("step") or ``CosineDecay`` ("cosine")
exactly as Keras computes them.
"""

from __future__ import annotations

import math
from typing import Any

SHAPES = ("constant", "step", "cosine")


def adjustable_schedule(initial: float) -> Any:
    """A ``LearningRateSchedule`` with ``.initial``, ``.shape`` and ``.decay_steps`` to assign."""
    import keras
    import tensorflow as tf

    class AdjustableSchedule(keras.optimizers.schedules.LearningRateSchedule):
        """constant: ``initial``; step: halved every ``decay_steps``; cosine: to 0 at ``decay_steps``."""

        def __init__(self, initial: float) -> None:
            self.initial = tf.Variable(initial, dtype=tf.float32, trainable=False, name="initial_learning_rate")
            self.shape = tf.Variable(0, dtype=tf.int32, trainable=False, name="schedule_shape")
            self.decay_steps = tf.Variable(1.0, dtype=tf.float32, trainable=False, name="decay_steps")

        def set(self, initial: float, shape: str, decay_steps: float) -> None:
            self.initial.assign(initial)
            self.shape.assign(SHAPES.index(shape))
            self.decay_steps.assign(max(float(decay_steps), 1.0))

        def __call__(self, step: Any) -> Any:
            step = tf.cast(step, tf.float32)
            halvings = tf.floor(step / self.decay_steps)
            progress = tf.minimum(step, self.decay_steps) / self.decay_steps
            factors = tf.stack([1.0, tf.pow(0.5, halvings), 0.5 * (1.0 + tf.cos(math.pi * progress))])
            return self.initial * tf.gather(factors, self.shape)

        def get_config(self) -> dict[str, Any]:
            return {"initial": float(self.initial.numpy())}

    return AdjustableSchedule(initial)
