"""The rules, one function per code; ``core.diagnose`` applies them in the order of ``CODES``.

``training.py`` reads the training curve (can the model fit at all?); ``validation.py``
compares the two curves (does it generalise, is it finished, can the validation curve be
trusted?). Each rule returns a ``Finding`` or ``None``; the co-occurrence rules are in
``core.py``.
"""

from lessons_lib.doctor.rules.training import (
    _diverging_growth,
    _diverging_nonfinite,
    _not_learning,
    _underfitting,
    _unstable,
)
from lessons_lib.doctor.rules.validation import (
    _healthy,
    _noisy_validation,
    _overfitting,
    _still_improving,
    _val_better_than_train,
)

__all__ = [
    "_diverging_growth",
    "_diverging_nonfinite",
    "_healthy",
    "_noisy_validation",
    "_not_learning",
    "_overfitting",
    "_still_improving",
    "_underfitting",
    "_unstable",
    "_val_better_than_train",
]
