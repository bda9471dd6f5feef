"""What ``diagnose`` returns: ``Finding`` and ``Diagnosis``, as plain text, HTML and plain data."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lessons_lib.checklist import Item
from lessons_lib.doctor.codes import TITLES


class DiagnosisError(ValueError):
    """The history or a hint cannot be read; the message says what was wrong in one sentence."""


@dataclass(frozen=True)
class Finding:
    """One thing the curves show: a code, the numbers behind it, a sentence, and what to try."""

    code: str
    message: str
    evidence: Mapping[str, Any]
    evidence_text: str
    advice: tuple[Item, ...]
    lesson: str

    @property
    def title(self) -> str:
        return TITLES[self.code]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): code, message, evidence, advice ids, lesson."""
        return {
            "code": self.code,
            "message": self.message,
            "evidence": dict(self.evidence),
            "evidence_text": self.evidence_text,
            "advice": [entry.id for entry in self.advice],
            "lesson": self.lesson,
        }

    def __str__(self) -> str:
        advice = "; ".join(entry.title for entry in self.advice)
        return (
            f"{self.code}: {self.message}\n"
            f"    evidence: {self.evidence_text}\n"
            f"    try: {advice}\n"
            f"    lesson: {self.lesson}"
        )


@dataclass(frozen=True)
class Diagnosis:
    """What ``diagnose`` returns: findings (most important first), notes, and what was read."""

    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    epochs: int = 0
    metrics: tuple[str, ...] = ()
    hints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """The findings' codes, most important first."""
        return [finding.code for finding in self.findings]

    @property
    def headline(self) -> str:
        """One line for a slider panel: the first finding's sentence, or the first note."""
        if self.findings:
            return f"{self.findings[0].code}: {self.findings[0].message}"
        return self.notes[0] if self.notes else "no findings"

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __getitem__(self, code: str) -> Finding:
        for finding in self.findings:
            if finding.code == code:
                return finding
        raise KeyError(f"no {code!r} finding in this report; it has {self.codes}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "codes": self.codes,
            "findings": [finding.to_dict() for finding in self.findings],
            "notes": list(self.notes),
            "epochs": self.epochs,
            "metrics": list(self.metrics),
            "hints": dict(self.hints),
        }

    def __str__(self) -> str:
        epochs = f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}"
        head = f"Curve doctor ({epochs}): {', '.join(self.codes) or 'no verdict'}"
        lines = [head]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"{index}. {finding}" for index, finding in enumerate(self.findings, start=1)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Diagnosis {self.codes} ({self.epochs} epochs)>"

    def _repr_html_(self) -> str:
        escape = html.escape
        parts = [
            "<div class='curve-doctor'>",
            f"<p><b>Curve doctor</b> ({self.epochs} epoch{'s' if self.epochs != 1 else ''}): "
            f"<code>{escape(', '.join(self.codes) or 'no verdict')}</code></p>",
        ]
        parts += [f"<p><i>Note:</i> {escape(note)}</p>" for note in self.notes]
        if self.findings:
            parts.append("<table><tr><th>code</th><th>what the curves show</th><th>try</th><th>lesson</th></tr>")
            for finding in self.findings:
                advice = "<br>".join(
                    f"{escape(entry.title)} <small>({escape(entry.id)})</small>" for entry in finding.advice
                )
                parts.append(
                    f"<tr><td><code>{escape(finding.code)}</code></td>"
                    f"<td>{escape(finding.message)}<br><small>{escape(finding.evidence_text)}</small></td>"
                    f"<td>{advice}</td><td><code>{escape(finding.lesson)}</code></td></tr>"
                )
            parts.append("</table>")
        parts.append("</div>")
        return "".join(parts)
