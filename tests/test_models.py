import pytest

from lessons_lib.models import dropout_cnn, house_price_model, mnist_dense_model


def test_house_price_model_is_the_seeds_linear_unit_with_sgd():
    model = house_price_model(0.05)
    assert model.count_params() == 3 and model.loss == "mean_squared_error"
    assert type(model.optimizer).__name__ == "SGD"
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.05)


def test_mnist_dense_model_shape():
    model = mnist_dense_model(units=16)
    assert model.output_shape == (None, 1) and model.count_params() == 784 * 16 + 16 + 17


def test_dropout_cnn_has_the_questions_layers_and_rates():
    model = dropout_cnn(0.1, 0.2)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2D", "Conv2D", "MaxPooling2D", "Dropout", "Flatten", "Dense", "Dropout", "Dense"]
    assert [layer.rate for layer in model.layers if kinds[model.layers.index(layer)] == "Dropout"] == [0.1, 0.2]
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: house_price_model(0), "learning_rate must be > 0, got 0"),
        (lambda: mnist_dense_model(units=0), "units must be >= 1, got 0"),
        (lambda: dropout_cnn(conv_dropout=1.0), "conv_dropout must be < 1, got 1.0"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
