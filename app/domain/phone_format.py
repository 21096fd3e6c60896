"""Belgian phone numbers written the Belgian way, for print: 101 · 0800 30 030 ·
02 535 45 42 · 071 92 41 00 · 0478 11 54 88."""

from __future__ import annotations

import re

# One-digit zones (Brussels, Antwerp, Liège, Ghent); every other landline zone has two.
_ONE_DIGIT_ZONES = {"2", "3", "4", "9"}
# A number inside a sentence: 0 or +32, then 8 or 9 more digits, single spaces, dots or
# slashes between them (a date or an account number is left alone by belgian_display).
_IN_TEXT = re.compile(r"(?<![\d+])(?:\+32[ ./]?|0)\d(?:[ ./]?\d){7,8}(?![\d])")


def belgian_display(phone: str) -> str:
    """`phone` regrouped the way Belgian numbers are printed; anything unusual unchanged."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    if digits.startswith("+32"):
        digits = "0" + digits[3:]
    if not digits.isdigit():
        return phone
    if not digits.startswith("0"):
        return digits if len(digits) <= 4 else phone  # short numbers: 101, 1712
    # 0800 and 090x lines; 080 followed by another digit is the Malmedy-Stavelot-Sankt Vith
    # zone (080 64 37 34), an ordinary landline.
    if len(digits) == 9 and (digits.startswith("0800") or digits.startswith("090")):
        return f"{digits[:4]} {digits[4:6]} {digits[6:]}"
    if len(digits) == 10 and digits[1] == "4":  # mobiles
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if len(digits) == 9 and digits[1] in _ONE_DIGIT_ZONES:
        return f"{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
    if len(digits) == 9:
        return f"{digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"
    return phone


def belgian_numbers_in(text: str) -> str:
    """`text` (a description, a note) with the Belgian numbers in it written as printed."""
    return _IN_TEXT.sub(lambda found: belgian_display(found.group()), text)
