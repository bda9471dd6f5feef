"""Lessons 03 and 05: small CNNs on MNIST, with dropout and with augmentation."""

from __future__ import annotations

from lessons_lib.checks import check_int, check_number
from lessons_lib.explore.controls import epochs_slider, learning_rate_slider, on_grid, slider
from lessons_lib.explore.panel import Explorer
from lessons_lib.explore.runs import Settings, TrainingRun, one_hot, start_from, train_fast
from lessons_lib.history import best_epoch
from lessons_lib.models import augmented_cnn
from lessons_lib.training import FastFit, History, Progress


def dropout_explorer(
    *,
    conv_dropout: float = 0.25,
    dense_dropout: float = 0.5,
    n_train: int = 600,
    n_val: int = 500,
    epochs: int = 5,
    learning_rate: float = 0.001,
    batch_size: int = 64,
    seed: int = 0,
) -> Explorer:
    """Lesson 03's CNN (seed 001: two Conv2D, pooling, two Dropout layers) on MNIST, 10 classes.

    One-hot labels, categorical cross-entropy, Adam, batch 64. With dropout on, the
    validation accuracy ``fit`` reports sits above its training accuracy: dropout is active
    only while training, and the training figure is an average over an epoch in which the
    model kept improving. 600 training images and 5 epochs show it (validation above
    training in 5 of 5 epochs, by 0.15 to 0.28) and keep a move within 4 s on two cores,
    also on a CPU without AVX2 (800 images took 4.0 s there); 1,000 images show it as well.
    Sliders: learning rate (1e-5 to 1), each dropout rate (0 to 0.9), training images (100
    to 3,000), epochs. A dropout rate not chosen before costs one graph build.
    """
    conv_dropout = on_grid("conv_dropout", conv_dropout, 0.0, 0.9, 0.05)
    dense_dropout = on_grid("dense_dropout", dense_dropout, 0.0, 0.9, 0.05)
    n_train = check_int("n_train", n_train, low=100, high=3000)
    n_val = check_int("n_val", n_val, low=10, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=100)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    import keras

    from lessons_lib.data import load_mnist
    from lessons_lib.models import dropout_cnn

    x_pool, y_pool, x_val, y_val = load_mnist(3000, n_val, seed=seed)
    x_pool, x_val = x_pool[..., None], x_val[..., None]
    y_pool, y_val = one_hot(y_pool), one_hot(y_val)
    start_from(seed)
    model = dropout_cnn(conv_dropout, dense_dropout, learning_rate)
    conv_layer, dense_layer = [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    fast = FastFit(model, batch_size=batch_size)

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        # A Dropout's rate is read when the training loop is traced: FastFit sees the new
        # configuration and uses (or traces once) the loop for these rates.
        conv_layer.rate, dense_layer.rate = settings["conv_dropout"], settings["dense_dropout"]
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        return train_fast(
            fast, data, settings, progress, seed=seed, note=_validation_above_note, hints={"n_classes": 10}
        )

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "conv_dropout": slider(
            "FloatSlider", "dropout after the convolutions", value=conv_dropout, min=0.0, max=0.9, step=0.05
        ),
        "dense_dropout": slider(
            "FloatSlider", "dropout after Dense(32)", value=dense_dropout, min=0.0, max=0.9, step=0.05
        ),
        "n_train": slider("IntSlider", "training images", value=n_train, min=100, max=3000, step=100),
        "epochs": epochs_slider(epochs, 20),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _validation_above_note(history: History) -> str:
    above = sum(val > train for val, train in zip(history["val_accuracy"], history["accuracy"], strict=True))
    return f"validation accuracy above training accuracy in {above} of {len(history['accuracy'])} epochs"


def augmentation_explorer(
    *,
    strength: float = 0.5,
    n_train: int = 300,
    n_val: int = 500,
    epochs: int = 20,
    learning_rate: float = 0.001,
    batch_size: int = 32,
    seed: int = 0,
) -> Explorer:
    """Lesson 05: a few hundred digits, with Keras augmentation layers at a chosen strength.

    Sliders: learning rate, augmentation strength (0 = none, 1 = seed 002's ranges, 2 =
    twice them), training images (50 to 1,000), epochs. On 300 images and 20 epochs, half
    the seed's ranges beats no augmentation; the seed's full ranges and more slow learning
    down so much that validation accuracy ends lower. Each strength is its own model
    (the augmentation layers are part of it), built once when first chosen and started
    from the same weights as every other strength.
    """
    strength = on_grid("strength", strength, 0.0, 2.0, 0.25)
    n_train = check_int("n_train", n_train, low=50, high=1000)
    n_val = check_int("n_val", n_val, low=10, high=2000)
    epochs = check_int("epochs", epochs, low=1, high=200)
    learning_rate = check_number("learning_rate", learning_rate, low=1e-5, high=1.0)
    batch_size = check_int("batch_size", batch_size, low=1)
    seed = check_int("seed", seed, low=0)

    from lessons_lib.data import load_mnist

    x_pool, y_pool, x_val, y_val = load_mnist(1000, n_val, seed=seed)
    x_pool, x_val = x_pool[..., None], x_val[..., None]
    y_pool, y_val = one_hot(y_pool), one_hot(y_val)
    start_from(seed)
    start = augmented_cnn(0.0, learning_rate).get_weights()
    trainers: dict[float, FastFit] = {}

    def trainer_for(strength: float) -> FastFit:
        if strength not in trainers:
            model = augmented_cnn(strength, learning_rate)
            model.set_weights(start)  # every strength starts from the same weights
            trainers[strength] = FastFit(model, batch_size=batch_size)
        return trainers[strength]

    def train(settings: Settings, progress: Progress) -> TrainingRun:
        n = settings["n_train"]
        data = (x_pool[:n], y_pool[:n], x_val, y_val)
        fast = trainer_for(settings["strength"])
        return train_fast(fast, data, settings, progress, seed=seed, note=_best_accuracy_note, hints={"n_classes": 10})

    sliders = {
        "learning_rate": learning_rate_slider(learning_rate, 1e-5, 1.0),
        "strength": slider("FloatSlider", "augmentation strength", value=strength, min=0.0, max=2.0, step=0.25),
        "n_train": slider("IntSlider", "training images", value=n_train, min=50, max=1000, step=50),
        "epochs": epochs_slider(epochs, 60),
    }
    return Explorer(sliders, train, ["loss", "accuracy"])


def _best_accuracy_note(history: History) -> str:
    values = history["val_accuracy"]
    best = best_epoch(values, "val_accuracy")
    return f"best validation accuracy {values[best - 1]:.3f} (epoch {best})"
