"""Checks for text that comes from people or the command line; each refusal says what to do."""

from __future__ import annotations

import re
import unicodedata

from app.errors import ValidationError
from app.i18n import _, ngettext

DESK_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
_USER_NAME = re.compile(r"[\w.\-]{2,64}")
# Unicode's control characters (category Cc) are exactly these two ranges.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Trimmed, NFC-normalised text without control characters; `label` is already translated."""
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise ValidationError(_("{label} cannot be empty.").format(label=label), field=field)
    if len(text) > max_length:
        raise ValidationError(
            ngettext(
                "{label} is too long: at most {count} character.",
                "{label} is too long: at most {count} characters.",
                max_length,
            ).format(label=label, count=max_length),
            field=field,
        )
    if _CONTROL.search(text):
        raise ValidationError(
            _("{label} contains invisible control characters; retype it.").format(label=label),
            field=field,
        )
    return text


def clean_lines(value: str, field: str, label: str, max_length: int) -> str:
    """Like `clean_text` for several lines: line breaks are kept, tabs become spaces, other
    control characters (often pasted from other programs) are refused."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n")
    text = "\n".join(unicodedata.normalize("NFC", line).strip() for line in lines).strip("\n")
    # One line of the same length: the checks of `clean_text` apply to the whole text.
    clean_text(text.replace("\n", " "), field, label, max_length, required=False)
    return text


def desk_code(value: str) -> str:
    """The short code that starts every case code of the desk (e.g. SG in SG-2026-0042)."""
    code = value.strip().upper()
    if not DESK_CODE.fullmatch(code):
        raise ValidationError(
            _(
                "The desk code must be 2 to 8 capital letters or digits, starting with a "
                "letter (for example SG for Saint-Gilles)."
            ),
            field="desk_code",
        )
    return code


def user_name(value: str) -> str:
    name = unicodedata.normalize("NFC", value).strip()
    if not _USER_NAME.fullmatch(name):
        raise ValidationError(
            _(
                "A user name has 2 to 64 letters, digits, dots, hyphens or underscores, "
                "without spaces (for example a.dupont)."
            ),
            field="user_name",
        )
    return name
