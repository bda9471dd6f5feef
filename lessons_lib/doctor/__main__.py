"""The curve doctor from the command line, for a log on disk and for an ML project's own CI.

    python -m lessons_lib.doctor PATH [--json] [--fail-on CODES] [--loss NAME] [--val-loss NAME]
                                      [--n-classes K] [--baseline-accuracy P] [--baseline-loss L]

``PATH``: a CSV log (Keras's or Lightning's ``CSVLogger``), a TensorBoard log folder, a
Lightning run folder holding ``metrics.csv``, or a JSON file of a history (``{"loss": [...],
...}``, or such a dict under ``"history"``). Prints the reading (``--json``: plain data).
Exit status: 0; 1 when ``--fail-on`` names a code that the reading holds
(``--fail-on overfitting,diverging``); 2 when the path or its format cannot be read, with one
sentence on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from lessons_lib.doctor.codes import CODES
from lessons_lib.doctor.core import diagnose


def _codes(text: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in text.split(",") if code.strip())
    unknown = [code for code in codes if code not in CODES]
    if unknown or not codes:
        raise argparse.ArgumentTypeError(
            f"{unknown[0] if unknown else text!r} is not a code; the codes: {', '.join(CODES)}"
        )
    return codes


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python -m lessons_lib.doctor",
        description="Read a training log (CSV, TensorBoard folder, JSON history) and name what its curves show.",
    )
    command.add_argument("path", help="a CSV log, a TensorBoard log folder, a Lightning run folder or a JSON history")
    command.add_argument("--json", action="store_true", help="print the reading as JSON")
    command.add_argument("--fail-on", type=_codes, default=(), metavar="CODES", help="exit 1 if one of these is found")
    for name in ("loss", "val-loss", "accuracy", "val-accuracy"):
        command.add_argument(f"--{name}", metavar="NAME", help=f"the column to read as {name.replace('-', '_')}")
    command.add_argument("--n-classes", type=int, help="classes of a classifier trained with cross-entropy")
    command.add_argument("--baseline-accuracy", type=float, help="the majority-class rate")
    command.add_argument("--baseline-loss", type=float, help="the loss of a model that ignores its input")
    return command


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    hints = {
        key: getattr(args, key)
        for key in ("n_classes", "baseline_accuracy", "baseline_loss", "loss", "val_loss", "accuracy", "val_accuracy")
        if getattr(args, key) is not None
    }
    try:
        reading = diagnose(args.path, **hints)
    except (OSError, ValueError, TypeError) as error:
        print(f"curve doctor: {error}", file=sys.stderr)
        return 2
    print(json.dumps(reading.to_dict(), indent=1) if args.json else reading)
    found = [code for code in reading.codes if code in args.fail_on]
    if found:
        print(f"curve doctor: found {', '.join(found)} (--fail-on)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
