"""Detectors for personal data and invisible characters in free text.

Used by the editor-facing checker that blocks publishing of personal data.
Each detector is one compiled regular expression that finds candidates,
followed by cheap checks in Python (dates, check digits, issuer prefixes),
so multi-megabyte texts are scanned quickly.

"Standing alone" below means: not preceded or followed by an ASCII digit or
ASCII letter, so numbers inside longer codes or digit runs are not flagged.
Only ASCII digits are recognised (full-width digits are not).

Resident ID numbers: only the 18-character form is detected, written plain
or grouped 6-8-4 with a single space or hyphen.  The old 15-digit form
(region + YYMMDD + sequence, no check digit) is deliberately skipped: about
1 in 75 random 15-digit numbers would look valid, and the first-generation
cards that carried it stopped being valid in 2013.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = [
    "Finding", "find_private_data", "find_control_chars",
    "resident_id_check_char", "is_valid_resident_id", "luhn_valid",
]

_ASCII_DIGITS = "0123456789"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``text == source[start:end]``.

    ``kind`` is ``'resident_id'``, ``'mobile'`` or ``'bank_card'``.
    """

    kind: str
    start: int
    end: int
    text: str


# --- resident ID (居民身份证号, GB 11643) --------------------------------

_PROVINCE = r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|91)"
_RESIDENT_ID_RE = re.compile(
    r"[1-9](?<![0-9A-Za-z].)[0-9](?<=" + _PROVINCE + r")[0-9]{4}"
    r"(?P<sep>[ -]?)"
    r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"(?P=sep)[0-9]{3}[0-9Xx]"
    r"(?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') for 17 digits."""
    total = sum((ord(c) - 48) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def _id_digits_ok(s: str) -> bool:
    """Real birth date and correct check char for 18 chars (no separators)."""
    try:
        datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return resident_id_check_char(s[:17]) == s[17].upper()


def is_valid_resident_id(s: str) -> bool:
    """True if ``s`` (exactly 18 chars, no separators) is a plausible ID.

    Checks the province prefix, a real birth date in 1900..2099 and the
    check character (lower-case ``x`` accepted).
    """
    m = _RESIDENT_ID_RE.fullmatch(s)
    return m is not None and not m.group("sep") and _id_digits_ok(s)


def _find_resident_ids(text: str) -> list[Finding]:
    return [Finding("resident_id", m.start(), m.end(), m.group())
            for m in _RESIDENT_ID_RE.finditer(text)
            if _id_digits_ok(m.group().replace(m.group("sep"), "")
                             if m.group("sep") else m.group())]


# --- mobile numbers -------------------------------------------------------

# Plain 11 digits, or 3-4-4 with one kind of separator; optional prefix
# +86, 0086 or 86 (then optionally a space or hyphen).  The branch after the
# first character re-reads it with a lookbehind to pick the prefix.
_MOBILE_RE = re.compile(
    r"[+018](?<![0-9A-Za-z].)"
    r"(?:(?<=\+)86[ -]?1|(?<=0)086[ -]?1|(?<=8)6[ -]?1|(?<=1))"
    r"[3-9][0-9](?:[0-9]{8}|(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?![ -][0-9]))"
    r"(?![0-9A-Za-z])"
)


def _after_grouped_digits(text: str, start: int) -> bool:
    """True if ``text[:start]`` ends with a digit then a space or hyphen,
    i.e. a grouped match would only be the tail of a longer grouped number."""
    return start >= 2 and text[start - 1] in " -" and text[start - 2] in _ASCII_DIGITS


def _find_mobiles(text: str) -> list[Finding]:
    return [Finding("mobile", m.start(), m.end(), m.group())
            for m in _MOBILE_RE.finditer(text)
            if not (m.group("sep") and _after_grouped_digits(text, m.start()))]


# --- bank card numbers ----------------------------------------------------

# 16-19 plain digits, or groups of 4 (the last group 1-3 digits for 17-19
# digit cards) with one kind of separator.  Every known issuer starts 2-6.
_BANK_CARD_RE = re.compile(
    r"[2-6](?<![0-9A-Za-z].)(?:"
    r"[0-9]{15,18}"
    r"|[0-9]{3}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}"
    r"(?:(?P=sep)[0-9]{1,3})?(?![ -][0-9])"
    r")(?![0-9A-Za-z])"
)
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # Luhn: 2*d with digits summed


def luhn_valid(digits: str) -> bool:
    """True if the ASCII digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        total += _DOUBLED[d] if i % 2 else d
    return total % 10 == 0


def _known_issuer(digits: str) -> bool:
    """UnionPay 62, Visa 4, Mastercard 51-55 and 2221-2720, JCB 35, Amex 34/37."""
    two = digits[:2]
    return (
        two in ("62", "35", "34", "37") or digits[0] == "4"
        or "51" <= two <= "55" or "2221" <= digits[:4] <= "2720"
    )


def _find_bank_cards(text: str) -> list[Finding]:
    found = []
    for m in _BANK_CARD_RE.finditer(text):
        sep = m.group("sep")
        if sep and _after_grouped_digits(text, m.start()):
            continue
        digits = m.group().replace(sep, "") if sep else m.group()
        if _known_issuer(digits) and luhn_valid(digits):
            found.append(Finding("bank_card", m.start(), m.end(), m.group()))
    return found


def find_private_data(text: str) -> list[Finding]:
    """Find resident IDs, private mobile numbers and bank card numbers.

    Returns findings sorted by start, never overlapping.  When two would
    overlap, the resident ID wins over the bank card, which wins over the
    mobile number (so an 18-digit ID is never also reported as a card).
    """
    accepted = _find_resident_ids(text)
    for finder in (_find_bank_cards, _find_mobiles):
        new = _without_overlaps(accepted, finder(text))
        if new:
            accepted = sorted(accepted + new, key=lambda f: f.start)
    return accepted


def _without_overlaps(kept: list[Finding], new: list[Finding]) -> list[Finding]:
    """Items of ``new`` overlapping nothing in ``kept``; both lists are sorted
    by start and free of overlaps within themselves."""
    out, j = [], 0
    for f in new:
        while j < len(kept) and kept[j].end <= f.start:
            j += 1
        if j == len(kept) or kept[j].start >= f.end:
            out.append(f)
    return out


# --- invisible control characters ----------------------------------------

_CONTROL_NAMES = {
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "词连接符",
    "\ufeff": "零宽不换行空格",
    "\u00ad": "软连字符",
}
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile("[" + "".join(_CONTROL_NAMES) + _BIDI + "]")


def _control_name(ch: str) -> str:
    name = _CONTROL_NAMES.get(ch, "双向文本控制符")
    return f"{name} U+{ord(ch):04X}"


def find_control_chars(text: str) -> list[tuple[int, str]]:
    """Index and Chinese name (e.g. ``"零宽空格 U+200B"``) of each invisible
    format character that editors paste in by accident.

    Covers zero-width space/joiners, word joiner, soft hyphen, U+FEFF (a BOM
    at index 0 is ignored) and the bidirectional controls.  Ordinary
    punctuation and the ideographic space U+3000 are not reported.
    """
    return [
        (m.start(), _control_name(m.group()))
        for m in _CONTROL_RE.finditer(text)
        if not (m.start() == 0 and m.group() == "\ufeff")
    ]
