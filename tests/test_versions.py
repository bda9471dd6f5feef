"""A lesson says, in one sentence, when it runs on other versions than the course's pins."""

from __future__ import annotations

from lessons_lib.session import LessonSettings
from lessons_lib.versions import differences, pinned_versions, version_note


def test_the_pins_are_read_from_the_lock_file(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\ntensorflow==2.21.0\nkeras==3.15.1 ; python_version >= '3.10'\nzipp==3.0\n")
    assert pinned_versions(lock) == {"tensorflow": "2.21.0", "keras": "3.15.1"}


def test_without_a_lock_file_there_is_nothing_to_compare(tmp_path):
    assert pinned_versions(tmp_path / "missing.lock") == {}
    assert version_note(tmp_path / "missing.lock") is None


def test_each_difference_names_the_package_its_version_and_the_pin():
    pinned = {"tensorflow": "2.21.0", "keras": "3.15.1", "keras-tuner": "1.4.8"}
    installed = {"tensorflow": "2.18.0", "keras": "3.15.1", "keras-tuner": None}
    assert differences(pinned, installed) == ["tensorflow 2.18.0 (pinned 2.21.0)", "keras-tuner missing (pinned 1.4.8)"]


def test_the_course_environment_is_the_pinned_one():
    """`make test` and `make lab` build .venv from requirements.lock, so a lesson says nothing here."""
    assert version_note() is None


def test_the_settings_line_carries_the_note():
    note = "This environment runs tensorflow 2.18.0 (pinned 2.21.0): ..."
    assert repr(LessonSettings(7, "2.18.0", "3.8.0", False, note)).endswith("\n" + note)
    assert "\n" not in repr(LessonSettings(7, "2.21.0", "3.15.1", False))
