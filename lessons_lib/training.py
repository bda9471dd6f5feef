"""Training for the sliders: the arithmetic of ``model.fit``, without its per-epoch overhead.

A slider that rebuilds a model and calls ``model.fit`` makes the learner wait seconds: each
new model costs a graph build, and each epoch of ``fit`` costs 16 to 40 ms of Python
bookkeeping even on 80 rows. ``FastFit`` keeps one compiled model and, for every run:

1. restores the variables the model had when ``FastFit`` was created (weights, and the
   state of the random generators that Dropout and augmentation layers draw from);
2. restores the optimizer's variables (step counter, moments) and assigns the run's
   learning rate;
3. runs epochs in one compiled TensorFlow loop that calls the model's own ``train_step``
   on each batch and its own ``test_step`` on each validation batch.

So the numbers are the ones ``model.fit`` reports: same model, loss, optimizer and batch
size; the training rows in the order ``fit`` takes them (``epoch_orders``); training metrics averaged over the
epoch with Dropout on; validation measured at the end of the epoch in inference mode
(``tests/test_training.py`` checks equality with ``model.fit`` to 1e-4). A Python-level
setting baked into the graph (a Dropout layer's ``rate``, say) is noticed through the
layers' configurations and gets its own compiled loop, kept for the next time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from lessons_lib.checks import check_int, check_number

History = dict[str, list[float]]
Progress = Callable[[History], None]


class FastFit:
    """Train one compiled Keras model again and again from the same start, as ``model.fit`` would.

    ``FastFit(model, batch_size=32).fit(x, y, epochs=100, validation_data=(x_val, y_val),
    learning_rate=0.01)`` returns the history ``model.fit`` would return for the model as it
    was when ``FastFit`` was created, as a dict of lists. Every call starts from that state.
    """

    def __init__(
        self,
        model: Any,
        *,
        batch_size: int = 32,
        validation_batch_size: int | None = None,
        jit_compile: bool = False,
    ):
        if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", False):
            raise ValueError("model must be a compiled Keras model: call model.compile(...) first")
        if not model.built:
            raise ValueError("model must be built: give it a keras.Input(shape=...) as its first layer")
        self.batch_size = check_int("batch_size", batch_size, low=1)
        self.validation_batch_size = (
            self.batch_size
            if validation_batch_size is None
            else check_int("validation_batch_size", validation_batch_size, low=1)
        )
        if not isinstance(jit_compile, bool):
            raise ValueError(f"jit_compile must be True or False, got {jit_compile!r}")
        #: Compile the whole loop with XLA: for tiny models, whose steps are all overhead (lesson
        #: 01's one neuron: 20x faster, equal to ``fit`` within 1e-6). Not for larger ones: XLA on
        #: CPU carries the training rows through its loop (the time grows with the data set),
        #: has no deterministic MaxPool gradient, and no kernel for the augmentation layers.
        self.jit_compile = jit_compile
        self.model = model
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
        self._start = [variable.numpy() for variable in model.variables]
        self._optimizer_start = [variable.numpy() for variable in model.optimizer.variables]
        self._loops: dict[tuple, Any] = {}
        self._shapes_seen: frozenset[tuple] = frozenset()
        self._metric_names: list[str] | None = None
        #: Seconds one epoch took lately; sizes the chunks between two progress reports.
        self._epoch_seconds: float | None = None

    def reset(self, learning_rate: float | None = None) -> None:
        """Put the model and its optimizer back to where they were when ``FastFit`` was created."""
        model = self.model
        for variable, value in zip(model.variables, self._start, strict=True):
            variable.assign(value)
        for variable, value in zip(model.optimizer.variables, self._optimizer_start, strict=True):
            variable.assign(value)
        if learning_rate is not None:
            learning_rate = check_number("learning_rate", learning_rate, low=0, low_inclusive=False)
            schedule = getattr(model.optimizer, "_learning_rate", None)
            if hasattr(schedule, "initial") and hasattr(schedule, "set"):  # explore.schedules: keep the schedule
                schedule.initial.assign(learning_rate)
            else:
                model.optimizer.learning_rate = learning_rate

    def fit(
        self,
        x: Any,
        y: Any,
        *,
        epochs: int,
        validation_data: tuple[Any, Any],
        learning_rate: float | None = None,
        shuffle: bool = True,
        seed: int = 0,
        orders: Any = None,
        class_weight: Mapping[int, float] | None = None,
        sample_weight: Any = None,
        progress: Progress | None = None,
        progress_interval: float = 0.5,
        stop_on_nonfinite: bool = True,
    ) -> History:
        """Train from the starting state and return the history ``model.fit`` would return.

        The arguments mean what they mean for ``model.fit``; ``learning_rate`` (default: the
        optimizer's starting value) is assigned before training. ``seed`` fixes the shuffles,
        so a run repeats exactly; ``orders`` (one row order per epoch, ``epochs x len(x)``)
        replaces both, for data that ``fit`` took from a ``tf.data`` pipeline reshuffling itself
        every epoch. ``progress(history_so_far)`` is called between chunks of
        epochs, at most every ``progress_interval`` seconds. With ``stop_on_nonfinite`` the
        run ends after the first epoch whose loss is NaN or infinite (that epoch included).
        """
        epochs = check_int("epochs", epochs, low=1)
        seed = check_int("seed", seed, low=0)
        progress_interval = check_number("progress_interval", progress_interval, low=0)
        if class_weight is not None and sample_weight is not None:
            raise ValueError("give class_weight or sample_weight, not both (model.fit refuses both too)")
        x, y = _as_array("x", x), _as_array("y", y)
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (x_val, y_val)")
        x_val, y_val = _as_array("x_val", validation_data[0]), _as_array("y_val", validation_data[1])
        for name, features, targets in (("x", x, y), ("x_val", x_val, y_val)):
            if len(features) == 0:
                raise ValueError(f"{name} has no rows: training needs at least one example")
            if len(features) != len(targets):
                raise ValueError(f"{name} has {len(features)} rows but its labels have {len(targets)}")
        if class_weight is not None:
            sample_weight = class_weight_to_sample_weight(y, class_weight)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=np.float32).reshape(-1)
            if len(sample_weight) != len(x):
                raise ValueError(f"sample_weight has {len(sample_weight)} entries but x has {len(x)} rows")

        import tensorflow as tf

        self._build_metrics(x, y)
        loop, traced = self._loop_for(x, y, sample_weight is not None)
        self.reset(learning_rate)
        if orders is None:
            orders = epoch_orders(len(x), epochs, shuffle=shuffle, seed=seed)
        else:
            orders = _checked_orders(orders, epochs, len(x))
        n_rows = len(x)
        columns = [x, y] if sample_weight is None else [x, y, sample_weight]
        if self.jit_compile:  # XLA compiles once per shape: rows and epochs are padded to a few sizes (never read)
            columns = [_padded(column, _bucket(n_rows)) for column in columns]
        tensors = [tf.constant(columns[0]), tf.constant(columns[1]), tf.constant(x_val), tf.constant(y_val)]
        tensors += [tf.constant(column) for column in columns[2:]]

        history: History = {}
        done = 0
        last_report = time.perf_counter()
        while done < epochs:
            chunk = self._chunk_size(epochs - done, progress, progress_interval)
            block = orders[done : done + chunk]
            if self.jit_compile:
                block = _padded(_padded(block, _bucket(chunk)).T, _bucket(n_rows)).T
            if self.jit_compile:  # a new shape costs an XLA compilation: its time says nothing of an epoch
                shapes = (id(loop), block.shape, *(tensor.shape for tensor in tensors))
                traced, self._shapes_seen = traced or shapes not in self._shapes_seen, self._shapes_seen | {shapes}
            started = time.perf_counter()
            ran, training, validation = loop(
                tf.constant(block), tf.constant(chunk), tf.constant(n_rows), stop_on_nonfinite, *tensors
            )
            ran = int(ran)
            if traced:
                traced = False  # the first call also built the graph: its time says nothing of an epoch
            elif ran:
                self._epoch_seconds = (time.perf_counter() - started) / ran
            for name, values in training.items():
                history.setdefault(name, []).extend(float(value) for value in values.numpy()[:ran])
            for name, values in validation.items():
                history.setdefault(f"val_{name}", []).extend(float(value) for value in values.numpy()[:ran])
            done += ran
            if ran < chunk:  # the loop stopped on a NaN or infinite loss
                break
            if progress is not None and done < epochs and time.perf_counter() - last_report >= progress_interval:
                progress({name: list(values) for name, values in history.items()})
                last_report = time.perf_counter()
        return history

    def starting_loss(
        self, x: Any, y: Any, *, class_weight: Mapping[int, float] | None = None, rows: int = 256
    ) -> float:
        """The loss of the model as every run starts, before any update, on the first ``rows`` rows.

        "Where the loss started" for a run whose first epoch already blew it up: the
        epoch's average then says nothing about the start. Leaves the model in that state.
        """
        rows = check_int("rows", rows, low=1)
        x, y = _as_array("x", x)[:rows], _as_array("y", y)[:rows]
        weights = None if class_weight is None else class_weight_to_sample_weight(y, class_weight)
        self._build_metrics(x, y)
        self.reset()
        prediction = self.model(x, training=False)
        return float(self.model.compute_loss(x=x, y=y, y_pred=prediction, sample_weight=weights, training=False))

    def _chunk_size(self, remaining: int, progress: Progress | None, interval: float) -> int:
        """Epochs to run before the next chance to report: all of them when nobody is listening."""
        if progress is None:
            return remaining
        if self._epoch_seconds is None:
            return 1
        return max(1, min(remaining, int(interval / max(self._epoch_seconds, 1e-6))))

    def _build_metrics(self, x: np.ndarray, y: np.ndarray) -> None:
        """Create the compiled loss's and metrics' state as ``fit`` does before its first step."""
        if self._metric_names is not None:
            return
        model = self.model
        prediction = model(x[:1], training=False)
        model.compute_loss(x=x[:1], y=y[:1], y_pred=prediction, training=False)
        model.compute_metrics(x[:1], y[:1], prediction, sample_weight=None)
        model.reset_metrics()
        self._metric_names = list(model.get_metrics_result())

    def _loop_for(self, x: np.ndarray, y: np.ndarray, weighted: bool) -> tuple[Any, bool]:
        """The compiled loop for the model's current layer settings and these shapes; True if new."""
        key = (_layer_settings(self.model), x.shape[1:], x.dtype.str, y.shape[1:], y.dtype.str, weighted)
        if key in self._loops:
            return self._loops[key], False
        self._loops[key] = self._make_loop(x, y, weighted)
        return self._loops[key], True

    def _make_loop(self, x: np.ndarray, y: np.ndarray, weighted: bool) -> Any:
        """One ``tf.function`` running a chunk of epochs: train batches, then validation batches."""
        import tensorflow as tf

        model, names = self.model, self._metric_names
        batch, validation_batch = self.batch_size, self.validation_batch_size

        def run_epochs(orders, n_epochs, n_rows, stop_on_nonfinite, x, y, x_val, y_val, sample_weight=None):
            # orders may be padded beyond the n_epochs x n_rows that are run (to reuse an XLA compilation)
            n_val = tf.shape(x_val)[0]
            steps = (n_rows + batch - 1) // batch
            validation_steps = (n_val + validation_batch - 1) // validation_batch

            def one_epoch(epoch, training_logs, validation_logs, keep_going):
                order = orders[epoch]
                model.reset_metrics()  # what fit does at the start of every epoch

                def train_batch(step):
                    rows = order[step * batch : tf.minimum((step + 1) * batch, n_rows)]
                    data = (tf.gather(x, rows), tf.gather(y, rows))
                    if sample_weight is not None:
                        data += (tf.gather(sample_weight, rows),)
                    model.train_step(data)
                    return (step + 1,)

                tf.while_loop(lambda step: step < steps, train_batch, (tf.constant(0),))
                logs = model.get_metrics_result()
                training_logs = {name: training_logs[name].write(epoch, _float(logs[name])) for name in names}
                model.reset_metrics()  # what evaluate does before the validation pass

                def validate_batch(step):
                    end = tf.minimum((step + 1) * validation_batch, n_val)
                    model.test_step((x_val[step * validation_batch : end], y_val[step * validation_batch : end]))
                    return (step + 1,)

                tf.while_loop(lambda step: step < validation_steps, validate_batch, (tf.constant(0),))
                val_logs = model.get_metrics_result()
                validation_logs = {name: validation_logs[name].write(epoch, _float(val_logs[name])) for name in names}
                finite = tf.math.is_finite(_float(logs["loss"])) & tf.math.is_finite(_float(val_logs["loss"]))
                keep_going = tf.logical_or(finite, tf.logical_not(stop_on_nonfinite))
                return epoch + 1, training_logs, validation_logs, keep_going

            def empty():
                return {name: tf.TensorArray(tf.float32, size=tf.shape(orders)[0]) for name in names}

            ran, training_logs, validation_logs, _ = tf.while_loop(
                lambda epoch, training, validation, keep_going: (epoch < n_epochs) & keep_going,
                one_epoch,
                (tf.constant(0), empty(), empty(), tf.constant(True)),
            )
            return (
                ran,
                {name: values.stack() for name, values in training_logs.items()},
                {name: values.stack() for name, values in validation_logs.items()},
            )

        def spec(array: np.ndarray) -> Any:
            return tf.TensorSpec([None, *array.shape[1:]], tf.as_dtype(array.dtype))

        scalar = tf.TensorSpec([], tf.int32)
        signature = [
            tf.TensorSpec([None, None], tf.int32),
            scalar,
            scalar,
            tf.TensorSpec([], tf.bool),
            spec(x),
            spec(y),
        ]
        signature += [spec(x), spec(y)]
        if weighted:
            signature.append(tf.TensorSpec([None], tf.float32))
        # autograph off: the loops above are written with tf.while_loop, and Keras's own code
        # must not be rewritten (fit runs it unconverted too).
        return tf.function(run_epochs, input_signature=signature, autograph=False, jit_compile=self.jit_compile)


def epoch_orders(n_rows: int, epochs: int, *, shuffle: bool = True, seed: int = 0) -> np.ndarray:
    """The order of the training rows in every epoch (``epochs x n_rows``, int32), as ``fit`` uses them.

    ``model.fit(shuffle=True)`` after ``keras.utils.set_random_seed(seed)`` (TensorFlow
    backend) draws its permutation with ``tf.random.shuffle`` inside its data pipeline, from
    the global seed alone: it is the same permutation in every epoch, and in every ``fit`` on
    ``n_rows`` rows while that seed holds. The orders here come from Keras's own pipeline, so
    a run of ``FastFit`` takes its batches in the order ``fit`` takes them. (This resets the
    global random seed to ``seed``, as the explorers do before every run anyway.)
    """
    n_rows = check_int("n_rows", n_rows, low=1)
    epochs = check_int("epochs", epochs, low=1)
    seed = check_int("seed", seed, low=0)
    if not shuffle:
        return np.tile(np.arange(n_rows, dtype=np.int32), (epochs, 1))
    return np.tile(keras_permutation(n_rows, seed), (epochs, 1))


def keras_permutation(n_rows: int, seed: int) -> np.ndarray:
    """The permutation ``model.fit(shuffle=True)`` uses for ``n_rows`` rows under global seed ``seed``."""
    import keras

    keras.utils.set_random_seed(seed)  # always, so that a run leaves the same random state behind
    if (n_rows, seed) not in _PERMUTATIONS:
        from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

        rows = np.arange(n_rows, dtype=np.int64).reshape(-1, 1)
        adapter = ArrayDataAdapter(rows, shuffle=True, batch_size=n_rows)
        batch = next(iter(adapter.get_tf_dataset()))
        batch = batch[0] if isinstance(batch, tuple) else batch
        _PERMUTATIONS[(n_rows, seed)] = np.asarray(batch).reshape(-1).astype(np.int32)
    return _PERMUTATIONS[(n_rows, seed)]


_PERMUTATIONS: dict[tuple[int, int], np.ndarray] = {}


def _bucket(size: int) -> int:
    """The size a dimension is padded to for XLA: a power of two, at least 8."""
    return max(8, 1 << (size - 1).bit_length())


def _padded(array: np.ndarray, size: int) -> np.ndarray:
    """``array`` with zero rows appended up to ``size`` rows."""
    if len(array) >= size:
        return array
    return np.concatenate([array, np.zeros((size - len(array), *array.shape[1:]), dtype=array.dtype)])


def _checked_orders(orders: Any, epochs: int, n_rows: int) -> np.ndarray:
    """``orders`` as int32, if it holds one permutation of the ``n_rows`` rows for each of ``epochs`` epochs."""
    orders = np.asarray(orders)
    if orders.ndim != 2 or orders.shape[0] < epochs or orders.shape[1] != n_rows:
        raise ValueError(f"orders must have one row order per epoch, shape ({epochs}, {n_rows}), got {orders.shape}")
    orders = orders[:epochs]
    if orders.dtype.kind not in "iu" or not (np.sort(orders, axis=1) == np.arange(n_rows)).all():
        raise ValueError(f"each row of orders must be a permutation of the {n_rows} row numbers")
    return orders.astype(np.int32)


def class_weight_to_sample_weight(y: Any, class_weight: Mapping[int, float]) -> np.ndarray:
    """One weight per row, from its class, as ``model.fit(class_weight=...)`` computes them.

    Labels may be class numbers, one column of 0/1, or one-hot rows; classes missing from
    ``class_weight`` weigh 1.
    """
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"class_weight must be a dict {{class: weight}}, got {type(class_weight).__name__}")
    labels = np.asarray(y)
    if labels.ndim > 1:
        labels = labels.argmax(axis=-1) if labels.shape[-1] > 1 else labels.reshape(len(labels))
    classes = np.round(labels).astype(np.int64)
    return np.array([float(class_weight.get(int(label), 1.0)) for label in classes], dtype=np.float32)


def _as_array(name: str, values: Any) -> np.ndarray:
    """A NumPy array as ``model.fit`` would feed it: float64 becomes float32 (Keras's floatx)."""
    array = np.asarray(values)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    if array.ndim == 0:
        raise ValueError(f"{name} must be an array with one row per example, got a single value")
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}")
    return array


def _float(value: Any) -> Any:
    import tensorflow as tf

    return tf.cast(value, tf.float32)


def _layer_settings(model: Any) -> str:
    """Every layer's configuration: what a trace bakes into the graph (a Dropout's rate, say)."""
    parts, pending = [], list(model.layers)
    while pending:
        layer = pending.pop(0)
        try:
            parts.append(repr(layer.get_config()))
        except NotImplementedError:
            parts.append(type(layer).__name__)
        pending.extend(getattr(layer, "layers", []))
    return "\n".join(parts)
