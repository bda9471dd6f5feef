import pytest

from lessons_lib.checks import check_choice, check_int, check_number


def test_check_number_accepts_and_converts():
    assert check_number("learning_rate", 1, low=0, low_inclusive=False) == 1.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-0.1, "learning_rate must be > 0, got -0.1"),
        (0, "learning_rate must be > 0, got 0"),
        (float("nan"), "learning_rate must be a finite number, got nan"),
        ("0.1", "learning_rate must be a finite number, got '0.1'"),
        (True, "learning_rate must be a finite number, got True"),
        (11, "learning_rate must be <= 10, got 11"),
    ],
)
def test_check_number_names_argument_and_allowed_range(value, message):
    with pytest.raises(ValueError) as error:
        check_number("learning_rate", value, low=0, high=10, low_inclusive=False)
    assert str(error.value) == message


def test_check_int():
    assert check_int("epochs", 3, low=1) == 3
    with pytest.raises(ValueError, match=r"^epochs must be an integer, got 2.5$"):
        check_int("epochs", 2.5)
    with pytest.raises(ValueError, match=r"^epochs must be >= 1, got 0$"):
        check_int("epochs", 0, low=1)


def test_check_choice():
    assert check_choice("kind", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"^kind must be one of 'a', 'b', got 'c'$"):
        check_choice("kind", "c", ("a", "b"))
