import math

import numpy as np
import pytest

from lessons_lib.history import as_history_dict, best_epoch, first_nonfinite_epoch, higher_is_better, metric_names


class FakeHistory:
    """Stands in for keras.callbacks.History, which keeps its curves in ``.history``."""

    def __init__(self, curves):
        self.history = curves


def test_accepts_history_object_dict_and_arrays():
    curves = {"loss": np.array([1.0, 0.5]), "val_loss": [1.2, 0.7]}
    assert as_history_dict(FakeHistory(curves)) == {"loss": [1.0, 0.5], "val_loss": [1.2, 0.7]}
    assert as_history_dict(curves)["loss"] == [1.0, 0.5]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([1, 2], "history must be a Keras History or a dict of lists, got list"),
        ({}, "history is empty"),
        ({"loss": []}, "history has no epochs"),
        ({"loss": [1, 2], "val_loss": [1]}, "must have one value per epoch"),
        ({"loss": "abc"}, "history['loss'] must be a list of numbers"),
        ({"loss": [1, "x"]}, "history['loss'] must be a list of numbers"),
    ],
)
def test_rejects_bad_histories_with_one_sentence(bad, message):
    with pytest.raises((TypeError, ValueError), match=message.replace("[", r"\[").replace("]", r"\]")):
        as_history_dict(bad)


def test_metric_names_put_loss_first_and_skip_validation_and_learning_rate():
    curves = {"accuracy": [1], "val_accuracy": [1], "loss": [1], "val_loss": [1], "learning_rate": [1]}
    assert metric_names(curves) == ["loss", "accuracy"]


def test_best_epoch_direction_depends_on_metric():
    assert higher_is_better("val_accuracy") and not higher_is_better("val_loss")
    assert best_epoch([3.0, 1.0, 2.0], "val_loss") == 2
    assert best_epoch([0.5, 0.9, 0.7], "val_accuracy") == 2
    assert best_epoch([math.nan, math.inf], "val_loss") is None


def test_first_nonfinite_epoch():
    assert first_nonfinite_epoch([1.0, 2.0]) is None
    assert first_nonfinite_epoch([1.0, math.inf, math.nan]) == 2
