"""The nine codes of the curve doctor, their titles, the lesson that shows each, and its advice."""

#: The nine codes, most important first (the order of ``Diagnosis.findings``).
CODES = (
    "diverging",
    "unstable",
    "not_learning",
    "underfitting",
    "overfitting",
    "still_improving",
    "val_better_than_train",
    "noisy_validation",
    "healthy",
)

#: The lesson notebook that shows each code.
LESSONS = {
    "diverging": "07_learning_rate_and_batch_size",
    "unstable": "07_learning_rate_and_batch_size",
    "not_learning": "08_troubleshooting_checklist",
    "underfitting": "06_overfitting_regularization_early_stopping",
    "overfitting": "06_overfitting_regularization_early_stopping",
    "still_improving": "07_learning_rate_and_batch_size",
    "val_better_than_train": "03_dropout_val_above_train",
    "noisy_validation": "07_learning_rate_and_batch_size",
    "healthy": "00_start_here",
}

#: The checklist items (``lessons_lib.checklist`` ids) that apply to each code, most useful first.
ADVICE = {
    "diverging": (
        "reason.lr_too_high",
        "reason.data_preprocessing",
        "reason.vanishing_exploding_gradients",
        "reason.initialization",
        "improve.learning_rate_tuning",
    ),
    "unstable": (
        "reason.lr_too_high",
        "culprit.learning_rate",
        "culprit.batch_size",
        "improve.batch_size",
        "improve.learning_rate_tuning",
    ),
    "not_learning": (
        "reason.bugs_in_code",
        "culprit.learning_rate",
        "reason.vanishing_exploding_gradients",
        "reason.initialization",
        "reason.incorrect_loss",
        "reason.data_preprocessing",
    ),
    "underfitting": (
        "improve.model_complexity",
        "reason.lr_decay_too_fast",
        "improve.learning_rate_tuning",
        "improve.feature_engineering",
        "improve.normalization",
    ),
    "overfitting": (
        "reason.overfitting",
        "improve.early_stopping",
        "improve.regularization",
        "reason.insufficient_data",
        "improve.augmentation",
        "reason.complex_model",
    ),
    "still_improving": (
        "reason.insufficient_training",
        "improve.learning_rate_tuning",
        "improve.early_stopping",
    ),
    "val_better_than_train": (
        "val_above.regularization_in_training_only",
        "val_above.epoch_averaging",
        "val_above.easier_validation",
        "culprit.validation_leak",
        "val_above.not_underfitting_by_itself",
    ),
    "noisy_validation": (
        "culprit.data_quality_and_size",
        "culprit.batch_size",
        "culprit.learning_rate",
    ),
    "healthy": ("improve.early_stopping", "improve.monitoring", "improve.iterate"),
}

TITLES = {
    "diverging": "Diverging",
    "unstable": "Unstable training",
    "not_learning": "Not learning",
    "underfitting": "Underfitting",
    "overfitting": "Overfitting",
    "still_improving": "Still improving",
    "val_better_than_train": "Validation better than training",
    "noisy_validation": "Noisy validation curve",
    "healthy": "Healthy",
}
