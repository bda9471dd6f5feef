"""The seeds' models, with the knobs the sliders turn.

Lessons write these models out in full, in plain Keras, so a learner can copy them; these
builders are the same models for the sliders, the benchmarks and the tests.
"""

from __future__ import annotations

from lessons_lib.checks import check_int, check_number


def house_price_model(learning_rate: float = 0.01):
    """Seed 000's regression: one ``Dense(1)`` on two features, SGD, mean squared error.

    ``learning_rate=0.01`` is Keras's default for ``optimizer="sgd"``, as in the seed.
    """
    learning_rate = check_number("learning_rate", learning_rate, low=0, low_inclusive=False)
    import keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, activation="linear")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mean_squared_error")
    return model


def mnist_dense_model(units: int = 128, learning_rate: float = 0.001):
    """Seed 000's binary MNIST classifier: ``Dense(units, relu)`` then one sigmoid unit, Adam."""
    units = check_int("units", units, low=1)
    learning_rate = check_number("learning_rate", learning_rate, low=0, low_inclusive=False)
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    return _compiled_classifier(model, "binary_crossentropy", learning_rate)


def dropout_cnn(conv_dropout: float = 0.25, dense_dropout: float = 0.5, learning_rate: float = 0.001):
    """Seed 001's CNN: Conv2D 32, Conv2D 32, MaxPooling, Dropout, Dense 32, Dropout, softmax.

    Labels are one-hot (categorical cross-entropy), as in the question; Adam.
    """
    conv_dropout = check_number("conv_dropout", conv_dropout, low=0, high=1, high_inclusive=False)
    dense_dropout = check_number("dense_dropout", dense_dropout, low=0, high=1, high_inclusive=False)
    learning_rate = check_number("learning_rate", learning_rate, low=0, low_inclusive=False)
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(conv_dropout),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dropout(dense_dropout),
            layers.Dense(10, activation="softmax"),
        ]
    )
    return _compiled_classifier(model, "categorical_crossentropy", learning_rate)


def _compiled_classifier(model, loss: str, learning_rate: float):
    """Adam and accuracy, as every classifier of the seeds compiles them."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss, metrics=["accuracy"])
    return model
