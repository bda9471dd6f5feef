"""The seeds' checklists, held once as data: prose, the curve doctor and notebooks read them here.

Four lists, in the order the seeds give them:

- ``REASONS``: seed 000's "checklist of reasons" training and validation losses misbehave;
- ``IMPROVEMENTS``: seed 000's "checklist to improve training loss and validation loss";
- ``CULPRITS``: seed 002's "common culprits" of an erratic validation accuracy;
- ``VAL_ABOVE_TRAIN``: seed 001's explanations of validation accuracy above training accuracy
  (the Keras FAQ's two causes, and the answer's own claim).

Every item has a stable ``id`` (``"reason.lr_too_high"``), a title, the reason, an example,
the fix, and the lesson notebook that shows it. The texts are the course's: where a seed is
wrong or muddled, the item holds the corrected text, ``seed_text`` what the seed said, and
``note`` why it was changed. ``to_markdown`` renders items for a notebook::

    from IPython.display import Markdown
    from lessons_lib import checklist
    Markdown(checklist.to_markdown(checklist.items_for_lesson("06_overfitting_regularization_early_stopping")))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lessons_lib.checks import check_choice

#: The lesson notebooks (without ``.ipynb``), as the README's lesson table names them.
LESSONS = (
    "00_start_here",
    "01_house_price_regression",
    "02_mnist_binary",
    "03_dropout_val_above_train",
    "04_class_imbalance",
    "05_data_augmentation",
    "06_overfitting_regularization_early_stopping",
    "07_learning_rate_and_batch_size",
    "08_troubleshooting_checklist",
    "08_troubleshooting_checklist_part2",
    "09_improvement_checklist",
    "10_improvement_checklist_part2",
    "11_improvement_checklist_part3",
    "12_read_the_curves_quiz",
)

GROUPS = {
    "reasons": "Seed 000: reasons training and validation losses misbehave",
    "improvements": "Seed 000: how to improve training and validation loss",
    "culprits": "Seed 002: common culprits of an erratic validation accuracy",
    "val_above_train": "Seed 001: why validation accuracy can be above training accuracy",
}


@dataclass(frozen=True)
class Item:
    """One checklist item. ``note`` and ``seed_text`` are set only where the seed was corrected."""

    id: str
    group: str
    title: str
    reason: str
    example: str
    fix: str
    lesson: str
    source: str
    note: str = ""
    seed_text: str = ""

    def __post_init__(self) -> None:
        check_choice("group", self.group, GROUPS)
        check_choice("lesson", self.lesson, LESSONS)
        if not self.id.startswith(_PREFIX[self.group] + "."):
            raise ValueError(f"id {self.id!r} must start with {_PREFIX[self.group]!r} for group {self.group!r}")

    @property
    def corrected(self) -> bool:
        """True if the course's text differs from the seed's on a point of substance."""
        return bool(self.note)

    def to_markdown(self, *, details: bool = True) -> str:
        """The item as a markdown list entry (one line, or with its reason, example and fix)."""
        head = f"- **{self.title}** (`{self.id}`, lesson `{self.lesson}`)"
        if not details:
            return head
        lines = [head, f"  - *Why:* {self.reason}", f"  - *Example:* {self.example}", f"  - *Fix:* {self.fix}"]
        if self.note:
            lines.append(f"  - *Corrected from the seed:* {self.note}")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __str__(self) -> str:
        return f"{self.title} ({self.id}, lesson {self.lesson})"


_PREFIX = {"reasons": "reason", "improvements": "improve", "culprits": "culprit", "val_above_train": "val_above"}

_S000 = "seed 000, checklist of reasons"
_S000I = "seed 000, checklist to improve"
_S002 = "seed 002, common culprits"
_S001 = "seed 001, answer and Keras FAQ"

REASONS: tuple[Item, ...] = (
    Item(
        "reason.overfitting",
        "reasons",
        "Overfitting",
        "The model has fitted the training data, noise included, so closely that it does worse on data it has "
        "not seen: the training loss keeps falling while the validation loss reaches a minimum and rises.",
        "A large dense network reaches 100% accuracy on 200 MNIST images, but its validation loss turns up after "
        "about 5 epochs and keeps rising.",
        "Stop at the validation minimum (EarlyStopping with restore_best_weights=True), add regularization "
        "(L2, dropout), get more data or augment it, or use a smaller model.",
        "06_overfitting_regularization_early_stopping",
        _S000,
        note="The seed's example (a network that 'performs poorly on new images') does not show overfitting: "
        "overfitting needs good training performance next to poor validation performance.",
        seed_text="You have a deep neural network for image classification, but it consistently performs poorly on "
        "new images not seen during training.",
    ),
    Item(
        "reason.complex_model",
        "reasons",
        "Model too complex for the data",
        "A model with many more parameters than the data can pin down memorises the training set instead of "
        "learning the pattern, which leads to overfitting. The opposite also happens: a model too simple for "
        "the task cannot fit even the training data (underfitting).",
        "A network with many layers trained on a small set of medical images: the validation loss rises while "
        "the training loss falls.",
        "Match capacity to the data: fewer layers or units (or more data) when it overfits, more when the "
        "training loss levels off high.",
        "06_overfitting_regularization_early_stopping",
        _S000,
        note="The seed names only one direction; too little capacity is the cause of underfitting.",
    ),
    Item(
        "reason.insufficient_data",
        "reasons",
        "Too little data",
        "With few examples the model does not see enough variety to learn general patterns, and it can "
        "memorise the few it has.",
        "A sentiment classifier trained on a few hundred sentences; in the course, a dense network on 200 "
        "MNIST images against the same network on 4,000.",
        "Collect more data, augment it, use transfer learning, or use a smaller, more regularized model.",
        "06_overfitting_regularization_early_stopping",
        _S000,
    ),
    Item(
        "reason.lr_too_high",
        "reasons",
        "Learning rate too high",
        "Each step overshoots the minimum: the loss oscillates, jumps up and down, or grows until it becomes "
        "inf or NaN.",
        "Seed 000's house-price regression with SGD at learning rate 1.5 instead of 0.01: the loss is inf "
        "within a dozen epochs.",
        "Lower the learning rate (by factors of 3 to 10), use a schedule or ReduceLROnPlateau, normalise "
        "the inputs; a learning-rate range test finds a good value.",
        "07_learning_rate_and_batch_size",
        _S000,
    ),
    Item(
        "reason.lr_decay_too_fast",
        "reasons",
        "Learning rate decays too fast",
        "If the learning rate shrinks too quickly, the steps become tiny while the loss is still high and "
        "the model stops learning early.",
        "An exponential decay that divides the learning rate by 10 every epoch: after three epochs the steps "
        "are a thousand times smaller and the loss flattens far above where a constant rate takes it.",
        "Decay more slowly or later (cosine decay over the whole run, or ReduceLROnPlateau, which lowers the "
        "rate only when the validation loss stops improving).",
        "07_learning_rate_and_batch_size",
        _S000,
        note="The seed's example blames an initial learning rate that is too high, which is a different "
        "problem (see 'Learning rate too high'); decay that is too fast is a problem at any starting rate.",
        seed_text="The initial learning rate for your neural network is too high, and it drops too rapidly "
        "during training.",
    ),
    Item(
        "reason.vanishing_exploding_gradients",
        "reasons",
        "Vanishing or exploding gradients",
        "In deep networks, gradients are products of many layer derivatives: saturating activations "
        "(sigmoid, tanh) or badly scaled weights make them shrink to nothing or blow up, so the first layers "
        "do not learn or the loss explodes.",
        "Eight sigmoid layers trained with SGD on MNIST: the loss stays at the chance level ln 10 = 2.30 "
        "(seed 000's example: a very deep recurrent network whose loss does not decrease).",
        "Use ReLU-family activations with He initialisation, batch normalisation or residual connections; "
        "against exploding gradients also gradient clipping (clipnorm in the optimizer).",
        "08_troubleshooting_checklist",
        _S000,
    ),
    Item(
        "reason.data_preprocessing",
        "reasons",
        "Missing or wrong normalisation",
        "Inputs on very different scales make the loss surface badly conditioned: a learning rate that suits "
        "one feature is far too large for another, and training diverges or crawls.",
        "House sizes left in square feet (values in the thousands) next to bedrooms scaled to [0, 1]: seed "
        "000's SGD diverges at once; forgetting to divide MNIST pixels by 255 has the same kind of effect.",
        "Scale inputs (pixels / 255, z-scores, or a keras.layers.Normalization layer) with statistics "
        "computed on the training split only.",
        "08_troubleshooting_checklist_part2",
        _S000,
    ),
    Item(
        "reason.incorrect_loss",
        "reasons",
        "Wrong loss function",
        "The loss must match the task and the output layer; a mismatched loss trains slowly, to the wrong "
        "target, or not at all.",
        "Mean squared error on a sigmoid or softmax output for classification (slow: its gradient vanishes "
        "when the output saturates); categorical cross-entropy with integer labels (use the sparse variant); "
        "from_logits=True after a softmax layer.",
        "Cross-entropy for classification (binary, categorical or sparse categorical to match the labels), "
        "MSE or MAE for regression; check from_logits against the last activation.",
        "08_troubleshooting_checklist_part2",
        _S000,
    ),
    Item(
        "reason.insufficient_training",
        "reasons",
        "Too few training steps",
        "Training was stopped while both losses were still falling: the model has not converged.",
        "Seed 000's regression stopped after 20 epochs instead of 100, or a learning rate of 1e-4 stopped "
        "after 6 epochs: both curves are still going down at the end.",
        "Train longer, with EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True) so that "
        "longer is safe, or raise the learning rate.",
        "08_troubleshooting_checklist",
        _S000,
    ),
    Item(
        "reason.bugs_in_code",
        "reasons",
        "A bug in the code",
        "A mistake in loading, labelling, the model or the training loop can leave the model nothing to "
        "learn, and nothing crashes.",
        "The training labels shuffled separately from the images: the loss stays at the chance level ln K "
        "for K classes and the accuracy at 1/K (seed 002's '10% accuracy for an hour' on 10 classes).",
        "Look at a few inputs with their labels; check that the first loss is near ln K; make sure the model "
        "can overfit a handful of examples; change one thing at a time.",
        "08_troubleshooting_checklist_part2",
        _S000,
    ),
    Item(
        "reason.class_imbalance",
        "reasons",
        "Class imbalance",
        "When one class dominates, predicting it always gives a low loss and a high accuracy: the curves can "
        "look healthy while the rare class is never detected.",
        "A disease detector trained on mostly healthy cases; in the course, one MNIST digit at a few percent "
        "of the data.",
        "Judge with per-class recall, precision and the confusion matrix against the majority-class rate; "
        "use class weights (compute_class_weight with keyword arguments), over- or undersampling.",
        "04_class_imbalance",
        _S000,
    ),
    Item(
        "reason.initialization",
        "reasons",
        "Bad weight initialisation",
        "Weights that start too large or too small (or all equal) saturate activations or make gradients "
        "vanish or explode, so training is slow or stuck.",
        "A deep ReLU network initialised from a normal distribution with standard deviation 1 (or all zeros) "
        "instead of Keras's default Glorot uniform or He initialisation.",
        "Keep Keras's defaults (glorot_uniform) or use he_normal for ReLU layers; avoid zero or unit-variance "
        "initialisers in deep networks.",
        "08_troubleshooting_checklist",
        _S000,
        note="Glorot and He initialisations are random too: what matters is the scale of the random "
        "weights, chosen from the layer's width, not random against not random.",
        seed_text="Using random initialization for a deep network instead of using Xavier/Glorot or He initialization.",
    ),
)

IMPROVEMENTS: tuple[Item, ...] = (
    Item(
        "improve.data_quality",
        "improvements",
        "Check data quality",
        "Mislabelled, duplicated or corrupted examples put a floor under the loss and mislead the model.",
        "Rank training images by their loss: the top ones are often mislabelled or unreadable.",
        "Look at the worst examples, fix or drop them, remove duplicates (also across the train/validation split).",
        "09_improvement_checklist",
        _S000I,
    ),
    Item(
        "improve.augmentation",
        "improvements",
        "Data augmentation",
        "Random, label-preserving changes to the training inputs show the model more variety and reduce "
        "overfitting on small data.",
        "Small rotations, shifts and zooms of digits with keras.layers.RandomRotation, RandomTranslation, RandomZoom.",
        "Add augmentation layers at the start of the model (active only in training); use only changes that "
        "keep the label.",
        "05_data_augmentation",
        _S000I,
        note="Flipping is not always label-preserving: a mirrored digit is not the same digit. "
        "ImageDataGenerator (seed 002) is deprecated; Keras preprocessing layers replace it.",
        seed_text="Apply data augmentation techniques (e.g., rotation, scaling, and flipping).",
    ),
    Item(
        "improve.regularization",
        "improvements",
        "Regularization",
        "Penalising large weights (L1/L2) or dropping units at random (dropout) limits how closely the model "
        "can fit noise.",
        "kernel_regularizer=keras.regularizers.L2(1e-4) on dense layers, Dropout(0.5) after them, or early stopping.",
        "Add a little L2 or dropout and watch the validation loss; note that the training loss then includes "
        "the penalty and is measured with dropout on.",
        "06_overfitting_regularization_early_stopping",
        _S000I,
    ),
    Item(
        "improve.model_complexity",
        "improvements",
        "Adjust model complexity",
        "Capacity should fit the data: too much overfits, too little underfits.",
        "Fewer layers or units for a small data set that overfits; more for a model whose training loss "
        "levels off high.",
        "Change the width or depth in steps and compare the curves.",
        "06_overfitting_regularization_early_stopping",
        _S000I,
        note="The seed only says to reduce complexity; when the model underfits, increase it.",
        seed_text="Reduce the number of layers or neurons in the network, especially if the dataset is small.",
    ),
    Item(
        "improve.learning_rate_tuning",
        "improvements",
        "Tune the learning rate",
        "The learning rate is the hyperparameter that matters most: too high oscillates or diverges, too low crawls.",
        "Try rates a factor of 3 to 10 apart, or a learning-rate range test; use a schedule (cosine decay, "
        "ReduceLROnPlateau).",
        "Pick the largest rate whose training loss falls smoothly.",
        "07_learning_rate_and_batch_size",
        _S000I,
    ),
    Item(
        "improve.batch_size",
        "improvements",
        "Choose the batch size",
        "The batch size sets how noisy each gradient step is and how many steps an epoch has.",
        "Batch size 8 against 256 at the same learning rate: the small batches make many noisy steps, the "
        "large ones few smooth steps.",
        "Choose it for memory and speed, then retune the learning rate (it interacts with the batch size).",
        "07_learning_rate_and_batch_size",
        _S000I,
        note="'Smaller batch sizes may generalize better' is contested: differences largely disappear when "
        "the learning rate is scaled with the batch size (Goyal et al., 2017); what is certain is that smaller "
        "batches give noisier steps.",
        seed_text="Adjust the batch size based on available memory and problem complexity. Smaller batch sizes "
        "may generalize better.",
    ),
    Item(
        "improve.normalization",
        "improvements",
        "Normalise and scale inputs",
        "Features on similar scales make gradient descent well conditioned.",
        "z-score each feature: (x - mean) / std, with mean and std from the training split.",
        "Scale with statistics of the training split only (a keras.layers.Normalization layer adapted on "
        "the training data), never of all the data.",
        "09_improvement_checklist",
        _S000I,
    ),
    Item(
        "improve.eda",
        "improvements",
        "Exploratory data analysis",
        "Knowing the data (distributions, class balance, correlations, odd values) tells you what can go "
        "wrong before training.",
        "Class counts, feature histograms, a grid of example images with their labels.",
        "Look before you train; check the majority-class rate and the scale of each feature.",
        "09_improvement_checklist",
        _S000I,
    ),
    Item(
        "improve.feature_engineering",
        "improvements",
        "Feature engineering",
        "Features that expose the relevant information make the task easier for a small model.",
        "A ratio or a logarithm of a skewed feature for a tabular model.",
        "Create or transform features, then compare validation curves with and without them.",
        "09_improvement_checklist",
        _S000I,
    ),
    Item(
        "improve.loss_selection",
        "improvements",
        "Choose the right loss",
        "The loss must match the task, the labels and the output layer.",
        "Cross-entropy for classification, mean squared error for regression.",
        "Check the loss against the label format (integers: sparse categorical) and the last activation.",
        "10_improvement_checklist_part2",
        _S000I,
    ),
    Item(
        "improve.initialization",
        "improvements",
        "Weight initialisation",
        "A scale of the initial weights suited to the layer keeps signals and gradients in range.",
        "Glorot/Xavier (Keras's default) for tanh and sigmoid, He for ReLU.",
        "Set kernel_initializer='he_normal' on ReLU layers of deep networks.",
        "10_improvement_checklist_part2",
        _S000I,
    ),
    Item(
        "improve.hyperparameter_tuning",
        "improvements",
        "Hyperparameter search",
        "Learning rate, width, depth, dropout and batch size interact; searching them systematically beats "
        "guessing one at a time.",
        "keras_tuner.RandomSearch over the learning rate and the width of a small model.",
        "Random search over ranges on a log scale (usually more efficient than a grid), judged on the validation set.",
        "11_improvement_checklist_part3",
        _S000I,
    ),
    Item(
        "improve.monitoring",
        "improvements",
        "Monitor and visualise the curves",
        "Problems are visible in the curves long before the final number.",
        "keras.callbacks.TensorBoard(log_dir=...) during fit; plotting history.history after it.",
        "Always pass validation data to fit and plot training and validation curves together.",
        "11_improvement_checklist_part3",
        _S000I,
    ),
    Item(
        "improve.early_stopping",
        "improvements",
        "Early stopping",
        "Stopping when the validation loss stops improving avoids training into overfitting.",
        "keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True).",
        "Use a patience of a few epochs and restore_best_weights=True; Keras's defaults (patience=0, no "
        "restore) stop at the first bad epoch and keep the last weights, not the best.",
        "06_overfitting_regularization_early_stopping",
        _S000I,
    ),
    Item(
        "improve.ensembles",
        "improvements",
        "Ensembles",
        "Averaging the predictions of several models reduces the variance of any single one.",
        "The average of five small networks trained with different seeds against each of them.",
        "Train a few models with different seeds or settings and average their predicted probabilities.",
        "11_improvement_checklist_part3",
        _S000I,
    ),
    Item(
        "improve.transfer_learning",
        "improvements",
        "Transfer learning",
        "A model pre-trained on a related task starts from useful features, which matters most with little data.",
        "Pre-train on digits 0-4, freeze the feature layers, fine-tune on about 100 images of digits 5-9.",
        "Start from a pre-trained model, freeze its base, train a new head, then optionally fine-tune with a "
        "low learning rate.",
        "11_improvement_checklist_part3",
        _S000I,
    ),
    Item(
        "improve.iterate",
        "improvements",
        "Monitor regularly and iterate",
        "Improving a model takes several rounds of diagnosis and change.",
        "Change one thing, retrain, compare the curves with the previous run, keep a note of what changed.",
        "Change one thing at a time and revert what does not help (as seed 002 advises too).",
        "11_improvement_checklist_part3",
        _S000I,
    ),
)

CULPRITS: tuple[Item, ...] = (
    Item(
        "culprit.data_quality_and_size",
        "culprits",
        "Data quality and size",
        "A small or noisy training set makes the model generalise poorly; a small validation set makes the "
        "validation curve jump, because each example is a large share of the score.",
        "A validation set of 20 images: one image more or less right moves the validation accuracy by 5 "
        "points from epoch to epoch.",
        "More (and cleaner) training data or augmentation for the model; for a trustworthy curve, a "
        "validation set of at least several hundred examples, or cross-validation.",
        "08_troubleshooting_checklist_part2",
        _S002,
        note="The seed mixes two things: a small training set hurts the model, a small validation set makes "
        "the validation curve noisy without the model being any worse.",
    ),
    Item(
        "culprit.overfitting",
        "culprits",
        "Overfitting",
        "The model memorises the training data: high training accuracy, lower validation accuracy, and a "
        "validation loss that rises after its minimum.",
        "A large dense network on 200 MNIST images: 100% training accuracy, about 84% validation accuracy.",
        "Dropout, L2, early stopping with restore_best_weights=True, more data.",
        "06_overfitting_regularization_early_stopping",
        _S002,
        note="Overfitting shows as a validation curve that stalls or gets steadily worse, not as an erratic "
        "one; and the seed's face-recognition story (a model trained on 200 family faces does not recognise "
        "strangers) is about people it was never trained to recognise, not about overfitting.",
        seed_text="I once built a face recognition model using just 200 faces of family and friends ... it "
        "would recognise my mum at 100% but a random person not at all. Overfitting, pure and simple.",
    ),
    Item(
        "culprit.learning_rate",
        "culprits",
        "Learning rate issues",
        "Too large a learning rate makes the model leap around the minimum; too small a rate makes training "
        "so slow that it looks stuck.",
        "Adam at 0.05 on MNIST makes the loss jump from epoch to epoch (lesson 08, part 1); SGD at 1.0 jumps "
        "too, while SGD at 0.001 is still far from a good loss after 15 epochs (lesson 07).",
        "Tune the learning rate; a schedule that starts larger and decreases (cosine decay, ReduceLROnPlateau).",
        "07_learning_rate_and_batch_size",
        _S002,
    ),
    Item(
        "culprit.batch_size",
        "culprits",
        "Batch size effects",
        "Small batches give noisy gradient steps: the weights at the end of each epoch jitter, and the "
        "validation curve, measured once per epoch on those weights, jumps. The training curve, an average "
        "over the epoch, jumps less, though at a high learning rate it jumps too. Large batches give fewer, "
        "smoother steps per epoch.",
        "SGD at learning rate 0.5 with batches of 8 on MNIST: the validation loss jumps up and down from "
        "epoch to epoch (the training loss too), while batches of 256 at the same rate, after lurching in "
        "their first few epochs, jump far less.",
        "Larger batches, a lower learning rate, or a decaying schedule; the learning rate and the batch size "
        "are tuned together.",
        "07_learning_rate_and_batch_size",
        _S002,
        note="Large batches do not 'converge too fast': per epoch they make fewer steps and less progress. "
        "Whether they generalise worse (the 'sharp minima' argument) is contested and largely disappears "
        "when the learning rate is scaled with the batch size.",
        seed_text="a too large batch size can cause the model to converge too fast to a local minimum, and "
        "generalize poorly.",
    ),
    Item(
        "culprit.class_imbalance",
        "culprits",
        "Class imbalance",
        "With one dominant class the model learns to predict it; the validation accuracy looks fine while the "
        "rare classes are missed.",
        "Fraud detection, where real fraud is a tiny fraction of the cases.",
        "Class weights from sklearn's compute_class_weight(class_weight='balanced', classes=..., y=...) "
        "passed to fit(class_weight=...), or over/undersampling; judge with per-class recall.",
        "04_class_imbalance",
        _S002,
        note="The seed calls compute_class_weight with positional arguments, which raises a TypeError in "
        "current scikit-learn: pass them by keyword.",
        seed_text="class_weight.compute_class_weight('balanced', np.unique(y_train), y_train)",
    ),
    Item(
        "culprit.validation_leak",
        "culprits",
        "Validation set leak",
        "If information from the validation set reaches training (preprocessing fitted on all the data, "
        "duplicates across the split), the validation score is too good and no longer measures "
        "generalisation.",
        "A scaler fitted before the train/validation split; the same images in both sets.",
        "Split first, then fit every preprocessing step on the training split only; remove duplicates across "
        "the split.",
        "08_troubleshooting_checklist_part2",
        _S002,
    ),
)

VAL_ABOVE_TRAIN: tuple[Item, ...] = (
    Item(
        "val_above.regularization_in_training_only",
        "val_above_train",
        "Dropout acts only in training",
        "Keras measures the training loss and accuracy with dropout on, but the validation ones with dropout "
        "off, so the validation numbers can be better. The Keras FAQ says the same of L1/L2 penalties; in Keras "
        "3 they are added to the validation loss too and never to accuracy, so they are not a cause.",
        "Seed 001's CNN with Dropout(0.25) and Dropout(0.5): validation accuracy above training accuracy "
        "during fit, the reverse when both sets are evaluated with model.evaluate.",
        "Nothing is wrong. To compare like with like, evaluate the training set in inference mode (after "
        "fit, or with a callback at each epoch end).",
        "03_dropout_val_above_train",
        _S001,
    ),
    Item(
        "val_above.epoch_averaging",
        "val_above_train",
        "Training metrics are averaged over the epoch",
        "The training loss of an epoch is the average over its batches while the model improves; the "
        "validation loss is measured once, with the model at the end of the epoch.",
        "In the first epochs of any fast-learning run the validation loss lies below the training loss; "
        "shifting the training curve half an epoch to the left removes most of the gap.",
        "Nothing is wrong. Plot the training curve shifted by half an epoch, or compare at the end of training.",
        "03_dropout_val_above_train",
        _S001,
    ),
    Item(
        "val_above.easier_validation",
        "val_above_train",
        "An easier or leaked validation set",
        "A small validation set can be easier than the training set by chance, or contain information from "
        "training (leakage, duplicates).",
        "A validation split that happens to hold the clearest digits, or duplicates of training images.",
        "Use a larger, random, stratified validation split; check for duplicates and preprocessing fitted "
        "before the split.",
        "08_troubleshooting_checklist",
        _S001,
    ),
    Item(
        "val_above.not_underfitting_by_itself",
        "val_above_train",
        "Validation above training is not underfitting by itself",
        "With dropout, the training accuracy is that of a handicapped model. Only if the training set "
        "evaluated in inference mode is also poor is the model underfitting.",
        "Seed 001's model reaches 100% training accuracy in model.evaluate: it is not underfitting, although "
        "its fit-time training accuracy stays below the validation accuracy.",
        "Compare the inference-mode training accuracy with the validation accuracy before reducing dropout "
        "or adding layers.",
        "03_dropout_val_above_train",
        _S001,
        note="The seed's answer ties the gap to underfitting (its translation even reads 'training accuracy > "
        "validation accuracy usually appears when the training data is underfitted', the reverse of the "
        "question) and suggests more layers and less dropout; a gap in either direction is not underfitting "
        "by itself, and the asker's own numbers (training accuracy 1.0 in evaluate) show no underfitting.",
        seed_text="训练准确度 > 验证准确度通常是在您的训练数据欠拟合时出现的 ... 增加更多的卷积层并放松 Dropout 层",
    ),
)

ALL: tuple[Item, ...] = REASONS + IMPROVEMENTS + CULPRITS + VAL_ABOVE_TRAIN
ITEMS: dict[str, Item] = {item.id: item for item in ALL}
if len(ITEMS) != len(ALL):  # pragma: no cover - a duplicate id is a programming error
    raise RuntimeError("checklist ids must be unique")


def item(item_id: str) -> Item:
    """The item with this id, e.g. ``item("reason.lr_too_high")``."""
    if item_id not in ITEMS:
        raise KeyError(f"no checklist item {item_id!r}; ids look like 'reason.lr_too_high' (see checklist.ITEMS)")
    return ITEMS[item_id]


def items(group: str | None = None) -> tuple[Item, ...]:
    """All items, or one group's (``"reasons"``, ``"improvements"``, ``"culprits"``, ``"val_above_train"``)."""
    if group is None:
        return ALL
    check_choice("group", group, GROUPS)
    return tuple(entry for entry in ALL if entry.group == group)


def items_for_lesson(lesson: str) -> tuple[Item, ...]:
    """The items a lesson covers, e.g. ``items_for_lesson("07_learning_rate_and_batch_size")``."""
    check_choice("lesson", lesson, LESSONS)
    return tuple(entry for entry in ALL if entry.lesson == lesson)


def to_markdown(entries: Iterable[Item | str] | None = None, *, details: bool = True, title: str | None = None) -> str:
    """Render items (or ids) as a markdown list, grouped under their list's heading.

    ``details=False`` gives one line per item. With no items, renders the four lists whole.
    """
    chosen = [item(entry) if isinstance(entry, str) else entry for entry in (ALL if entries is None else entries)]
    for entry in chosen:
        if not isinstance(entry, Item):
            raise TypeError(f"entries must be checklist items or their ids, got {type(entry).__name__}")
    lines = [f"### {title}", ""] if title else []
    for group, heading in GROUPS.items():
        members = [entry for entry in chosen if entry.group == group]
        if members:
            lines += [f"**{heading}**", ""] + [entry.to_markdown(details=details) for entry in members] + [""]
    return "\n".join(lines).rstrip() + "\n"
