"""Live explorers: move a slider, the model retrains, the curves redraw.

Each factory returns an ``Explorer``: sliders, a curve panel in ``plot_history``'s look
(training solid, validation dashed, the previous run faint behind the new one) and a
one-line reading (best epoch, final gap, the curve doctor's verdict). Display it by ending a
cell with it. A move retrains one compiled model through ``lessons_lib.training.FastFit``
(the arithmetic of ``model.fit``, without its per-epoch overhead); a setting already seen
redraws from a cache at once.

=======================  ======  =============================================================
factory                  lesson  knobs
=======================  ======  =============================================================
first_explorer           00      hidden units (none to 256), training images, epochs, learning rate
regression_explorer      01      learning rate, noise, training rows, epochs
mnist_binary_explorer    02      learning rate, one digit vs the rest or two digits, size, epochs
dropout_explorer         03      learning rate, the two dropout rates, training images, epochs
imbalance_explorer       04      learning rate, the rare digit, its share, class weights, epochs
augmentation_explorer    05      learning rate, augmentation strength, training images, epochs
overfitting_explorer     06      units, layers, training images, L2, dropout, epochs, early stopping
learning_rate_explorer   07      learning rate, batch size, schedule (constant, step, cosine), decay
broken_run_picker        08      a reason from the checklist, its broken run, and the fix toggled on
label_noise_explorer     09, 10  share of wrong labels, small, medium or large model, dropout, size, epochs
ensemble_explorer        11      members of an ensemble, a bootstrap sample each or the same data, epochs
=======================  ======  =============================================================

For tests and benchmarks every explorer exposes ``sliders`` (name -> widget; setting
``.value`` retrains as a learner's release would), ``set(**values)`` (several at once, one
retraining), ``history``, ``previous``, ``figure``, ``image``, ``reading``, and the counters
``runs``, ``cache_hits`` and ``draws``.
"""

from lessons_lib.explore.cnn import augmentation_explorer, dropout_explorer
from lessons_lib.explore.ensemble import ensemble_explorer
from lessons_lib.explore.first import first_explorer
from lessons_lib.explore.label_noise import label_noise_explorer
from lessons_lib.explore.learning_rate import learning_rate_explorer
from lessons_lib.explore.mnist import RARITIES, imbalance_explorer, mnist_binary_explorer, rare_digit_split
from lessons_lib.explore.overfitting import overfitting_explorer
from lessons_lib.explore.panel import Explorer, Superseded
from lessons_lib.explore.picker import broken_run_picker
from lessons_lib.explore.reading import BLOW_UP_RATIO, blow_up_epoch, doctor_verdict, reading_for
from lessons_lib.explore.regression import regression_explorer
from lessons_lib.explore.runs import CannotTrain, TrainingRun

__all__ = [
    "BLOW_UP_RATIO",
    "RARITIES",
    "CannotTrain",
    "Explorer",
    "Superseded",
    "TrainingRun",
    "augmentation_explorer",
    "blow_up_epoch",
    "broken_run_picker",
    "doctor_verdict",
    "dropout_explorer",
    "ensemble_explorer",
    "first_explorer",
    "imbalance_explorer",
    "label_noise_explorer",
    "learning_rate_explorer",
    "mnist_binary_explorer",
    "overfitting_explorer",
    "rare_digit_split",
    "reading_for",
    "regression_explorer",
]
