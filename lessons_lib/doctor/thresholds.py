"""The doctor's thresholds. Each is a ratio (scale-free); ``lessons_lib.doctor``'s docstring says how each is used."""

MIN_EPOCHS = 3
#: Recent window: ``clamp(round(n / 5), 2, 5)`` epochs; 5 is seed 002's EarlyStopping patience.
RECENT_MIN, RECENT_MAX = 2, 5
#: "Improving": the recent slope gains 1% of the curve's level per epoch (5% over 5 epochs,
#: well above the epoch-to-epoch noise of a validation loss on ~1,000 examples) ...
IMPROVING_PER_EPOCH = 0.01
#: ... and 0.5% of the starting scale per epoch (so a loss already near zero, which can still
#: halve every few epochs, does not count as "still improving") ...
IMPROVING_OF_START = 0.005
#: ... or, in a run long enough that its last 20% spans more than the recent window, 0.5% of
#: the level per epoch both over that last 20% (10% in all) and over the recent window, with
#: no test against the start: a slow, steady fall over many epochs is no noise and no
#: asymptote (lesson 01's SGD at 0.01 and 0.001, 100 epochs).
IMPROVING_TAIL_SHARE = 0.2
IMPROVING_LONG_PER_EPOCH = 0.005
#: ... or, a recent slope of 0.5% of the level per epoch that is at least 70% of the run's
#: average slope: a curve that has not slowed down is not levelling off, however slow it is.
IMPROVING_STEADY_SHARE = 0.7
#: A last training loss above twice the first is divergence: the optimizer made it worse than
#: where it started.
DIVERGE_FACTOR = 2.0
#: A rise of the training loss of 5% of its level counts as a jump (levels below 10% of the
#: start are taken as 10% of the start, so the tiny jitter of a loss near zero is no jump).
UNSTABLE_RISE = 0.05
UNSTABLE_LEVEL_FLOOR = 0.1
UNSTABLE_MIN_RISES = 2
UNSTABLE_TOTAL_RISE = 0.02
#: Within 5% of its first value (or of chance) the loss has "barely moved".
NOT_LEARNING_BAND = 0.05
#: The chance-level test also needs the judged loss never to fall 20% below its own first
#: value: a loss that falls by a large factor is learning, whatever the chance level (after a
#: too-large initialisation a 10-class loss can fall from 250 to 68, far above ln 10).
NOT_LEARNING_CHANCE_FALL = 0.2
#: "High": the training loss ends above 30% of the chance-level loss (or of the first loss);
#: for 10 balanced classes, 0.69, an accuracy of roughly 80%.
UNDERFIT_FRACTION = 0.3
#: ... or the training accuracy covers less than half the way from the majority rate to 1.
UNDERFIT_ACCURACY_SHARE = 0.5
#: Overfitting: the validation minimum at least 2 epochs before the end, and 10% risen since.
OVERFIT_MIN_AFTER = 2
OVERFIT_RISE = 0.10
OVERFIT_RISE_OF_START = 0.01
OVERFIT_ACCURACY_DROP = 0.02
#: A final training accuracy 15 points above the validation accuracy is overfitting even if
#: the validation curve has not turned.
OVERFIT_GAP = 0.15
#: "Consistently": in at least 80% of the epochs, by a median margin of 2% of the start (loss)
#: or 1 point (accuracy).
VAL_BETTER_SHARE = 0.8
VAL_BETTER_MARGIN = 0.02
VAL_BETTER_ACCURACY_MARGIN = 0.01
#: ... and only if it stands out of the curve's own zigzag: twice the median zigzag.
OVERFIT_NOISE_MULTIPLE = 2.0
#: Noisy validation: excess travel per epoch of 6.5% on a log scale (loss) or 1 point
#: (accuracy), and 3x the training curve's. Set between the real runs: calm validation curves
#: travel at most 5.9% (lesson 05 with augmentation) and 0.6 points (lesson 06 with dropout)
#: per epoch, noisy ones at least 7.7% (SGD, batch 8) and 1.2 points (lesson 07's rollercoaster).
NOISY_LOSS_PER_EPOCH = 0.065
NOISY_ACCURACY_PER_EPOCH = 0.01
NOISY_RATIO = 3.0

_TINY = 1e-12
