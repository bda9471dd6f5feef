"""Lesson 11's explorer: how many small models an ensemble averages, and what data each one sees."""

from __future__ import annotations

from typing import Any

import numpy as np

from lessons_lib.checks import check_int
from lessons_lib.explore.controls import epochs_slider, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import REDRAW_INTERVAL, Settings, TrainingRun, start_from
from lessons_lib.training import FastFit, History, Progress, epoch_orders

MAX_MEMBERS = 7
#: The toggle's two choices: each member on its own bootstrap sample (bagging), or all on the same data.
DATA = {"own bootstrap sample": True, "the same data": False}


def ensemble_explorer(*, members: int = 3, bootstrap: bool = True, epochs: int = 20, seed: int = 42) -> Explorer:
    """Lesson 11's ensemble: small networks whose predicted probabilities are averaged.

    Lesson 11's data (1,000 training digits, 500 for validation) and members: ``Dense(32,
    relu)``, ten softmax outputs, Adam, batches of 64; member ``i`` (from 0) starts from
    ``seed + i`` and, with ``bootstrap``, trains on the ``i``-th bootstrap sample drawn by
    ``np.random.default_rng(seed)`` (1,000 draws with replacement), its batches in the order
    ``fit`` would take them. The defaults are the lesson's three bagged members for 20
    epochs: the last epoch's validation loss is the lesson's ``ensemble_loss``. The solid
    training curves are the members' own (each on its data), averaged; the dashed validation
    curves are the ensemble's, its averaged probabilities measured after every epoch. The
    note compares the ensemble's validation loss with its members' average and its best
    member. Sliders: members (1 to 7), each member's data (its own bootstrap sample, or the
    same 1,000 images), epochs (up to 40).

    For speed all seven members train at once, side by side in one model (each its own
    layers and data, the sum of their losses: Adam moves each member's weights as if it
    trained alone), so moving the members slider trains nothing new.
    """
    members = check_int("members", members, low=1, high=MAX_MEMBERS)
    if not isinstance(bootstrap, bool):
        raise ValueError(f"bootstrap must be True or False, got {bootstrap!r}")
    epochs = check_int("epochs", epochs, low=1, high=40)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_train, y_train, x_val, y_val = load_mnist(1000, 500, flatten=True)
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(x_train), size=len(x_train)) for _ in range(MAX_MEMBERS)]
    orders = [epoch_orders(len(x_train), 1, seed=seed + index)[0] for index in range(MAX_MEMBERS)]
    side_by_side_val = (np.repeat(x_val[:, None], MAX_MEMBERS, axis=1), np.repeat(y_val[:, None], MAX_MEMBERS, axis=1))
    fast = FastFit(_side_by_side(seed), batch_size=64, validation_batch_size=len(x_val))
    trained: dict[bool, tuple[History, float]] = {}  # the longest run on each kind of data

    def data(bagged: bool) -> tuple[np.ndarray, np.ndarray]:
        """Member ``i``'s rows in column ``i``, already in the order its ``fit`` would shuffle them."""
        rows = [
            (sample if bagged else np.arange(len(x_train)))[order]
            for sample, order in zip(samples, orders, strict=True)
        ]
        return np.stack([x_train[r] for r in rows], axis=1), np.stack([y_train[r] for r in rows], axis=1)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        count, bagged, epochs = settings["members"], settings["bootstrap"], settings["epochs"]
        known = trained.get(bagged)
        if known is None or len(known[0]["loss"]) < epochs:
            x, y = data(bagged)
            start_loss = fast.starting_loss(x, y) / MAX_MEMBERS  # the loss is the members' sum
            history = fast.fit(
                x, y, epochs=epochs, validation_data=side_by_side_val, shuffle=False,
                progress=lambda partial: progress(ensemble_view(partial, count)), progress_interval=REDRAW_INTERVAL,
            )  # fmt: skip
            known = trained[bagged] = (history, start_loss)
        history = {name: values[:epochs] for name, values in known[0].items()}
        return TrainingRun(ensemble_view(history, count), known[1], _note(history, count), epochs, {"n_classes": 10})

    sliders: dict[str, Any] = {
        "members": slider("IntSlider", "members", value=members, min=1, max=MAX_MEMBERS),
        "bootstrap": slider(
            "ToggleButtons", "each member trains on", options=list(DATA.items()), value=bootstrap, width="auto"
        ),
        "epochs": epochs_slider(epochs, 40),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def ensemble_view(history: History, count: int) -> History:
    """The first ``count`` members: their training curves averaged, their ensemble's validation curves."""
    view = {
        name: [
            float(np.mean(values)) for values in zip(*(history[f"member{i}_{name}"] for i in range(count)), strict=True)
        ]
        for name in ("loss", "accuracy")
    }
    view["val_loss"] = list(history[f"val_ensemble{count}_loss"])
    view["val_accuracy"] = list(history[f"val_ensemble{count}_accuracy"])
    return view


def _note(history: History, count: int) -> Any:
    def note(view: History) -> str:
        epoch = len(view["val_loss"]) - 1
        if count == 1:
            return "one member: the ensemble is that model (add members to average their probabilities)"
        losses = [history[f"val_member{i}_loss"][epoch] for i in range(count)]
        ensemble, average, best = view["val_loss"][epoch], float(np.mean(losses)), min(losses)
        versus = "below" if ensemble < best else "not below"
        return (
            f"ensemble of {count}: validation loss {ensemble:.3f}, {(average - ensemble) / average:.1%} below its "
            f"members' average ({average:.3f}), {versus} its best member's ({best:.3f})"
        )

    return note


def _member(seed: int) -> Any:
    """Lesson 11's ``dense_classifier(units=32)``, started from ``seed``."""
    import keras

    start_from(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def _side_by_side(seed: int) -> Any:
    """All members in one model: input ``(members, 784)``, output ``(members, 10)``, Adam on the sum of losses."""
    import keras

    class Members(keras.Model):
        def __init__(self, members: list[Any]) -> None:
            super().__init__()
            self.members = members
            self.scores = Scores(len(members))

        def call(self, inputs: Any, training: bool = False) -> Any:
            outputs = [member(inputs[:, index], training=training) for index, member in enumerate(self.members)]
            return keras.ops.stack(outputs, axis=1)

        def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> Any:
            self.scores.update_state(y, y_pred)
            return super().compute_metrics(x, y, y_pred, sample_weight)

    class Scores(keras.metrics.Metric):
        """Per epoch: each member's loss and accuracy, and those of the ensemble of the first 1, 2, ... members."""

        def __init__(self, count: int) -> None:
            super().__init__(name="scores")
            self.count = count
            self.sums = self.add_variable(shape=(4, count), initializer="zeros", name="sums")
            self.rows = self.add_variable(shape=(), initializer="zeros", name="rows")

        def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
            ops = keras.ops
            y_true = ops.cast(y_true, "int32")
            sizes = ops.reshape(ops.arange(1, self.count + 1, dtype=y_pred.dtype), (1, self.count, 1))
            averaged = ops.cumsum(y_pred, axis=1) / sizes  # column k: the first k + 1 members' average
            first = ops.repeat(y_true[:, :1], self.count, axis=1)  # the ensemble is scored on member 0's labels
            cross_entropy = keras.losses.sparse_categorical_crossentropy
            rows = [
                cross_entropy(y_true, y_pred),
                ops.cast(ops.argmax(y_pred, axis=-1) == y_true, y_pred.dtype),
                cross_entropy(first, averaged),
                ops.cast(ops.argmax(averaged, axis=-1) == first, y_pred.dtype),
            ]
            self.sums.assign_add(ops.stack([ops.sum(row, axis=0) for row in rows]))
            self.rows.assign_add(ops.cast(ops.shape(y_pred)[0], self.rows.dtype))

        def result(self) -> dict[str, Any]:
            means = self.sums / self.rows
            results = {}
            for index in range(self.count):
                results[f"member{index}_loss"] = means[0, index]
                results[f"member{index}_accuracy"] = means[1, index]
                results[f"ensemble{index + 1}_loss"] = means[2, index]
                results[f"ensemble{index + 1}_accuracy"] = means[3, index]
            return results

        def reset_state(self) -> None:
            self.sums.assign(keras.ops.zeros_like(self.sums))
            self.rows.assign(0.0)

    members = [_member(seed + index) for index in range(MAX_MEMBERS)]
    model = Members(members)
    model(np.zeros((1, MAX_MEMBERS, 784), dtype="float32"))  # built, with each member's starting weights

    def summed_loss(y_true: Any, y_pred: Any) -> Any:
        return keras.ops.sum(keras.losses.sparse_categorical_crossentropy(y_true, y_pred), axis=-1)

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=summed_loss)
    return model
