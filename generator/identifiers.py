"""Validation of the identifiers used in zhuanlan data files.

Three kinds of identifier are checked here:

* record ids and page slugs ("safe ids"): lower-case ASCII letters, digits
  and hyphens, starting and ending with a letter or digit, at most 64 chars;
* region codes (GB/T 2260): exactly six ASCII digits;
* unified social credit codes (统一社会信用代码, GB 32100-2015): 18 chars
  from a 31-character alphabet, the last one a check character.

All functions are pure and depend only on the standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "SAFE_ID",
    "is_safe_id",
    "is_region_code",
    "fullwidth_to_ascii",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "UsccResult",
    "uscc_check_char",
    "validate_uscc",
]

# ``\Z`` (not ``$``) so that even ``SAFE_ID.match`` rejects "abc\n"; the
# explicit ranges keep it ASCII-only (no full-width or Cyrillic letters).
SAFE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")

_REGION_CODE = re.compile(r"[0-9]{6}")

# Full-width digits U+FF10..U+FF19 -> ASCII '0'..'9'.
_FULLWIDTH_DIGITS = str.maketrans(
    {0xFF10 + i: chr(0x30 + i) for i in range(10)}
)
_DIGITS_ANY_WIDTH = re.compile(r"[0-9\uff10-\uff19]+")


def is_safe_id(s: str) -> bool:
    """Return True if ``s`` is a valid record id / page slug.

    Only ``a-z``, ``0-9`` and ``-`` are allowed; the first and last
    characters must not be ``-``; length 1..64.  A trailing newline, upper
    case, underscores and non-ASCII look-alikes are all rejected.
    """
    return isinstance(s, str) and SAFE_ID.fullmatch(s) is not None


def is_region_code(s: str) -> bool:
    """Return True if ``s`` is exactly six ASCII digits (e.g. ``"371525"``).

    ``str.isdigit`` is deliberately not used: it accepts full-width and
    other Unicode digits, which must be rejected here.
    """
    return isinstance(s, str) and _REGION_CODE.fullmatch(s) is not None


def fullwidth_to_ascii(s: str) -> str | None:
    """Suggest the ASCII form of a region code typed with full-width digits.

    If ``s`` consists only of digits, at least one of them full-width
    (U+FF10..U+FF19) and the rest ASCII, and converting gives exactly six
    ASCII digits, return the converted string (``"３７１５２５"`` ->
    ``"371525"``).  Otherwise return None; in particular an input that is
    already all ASCII returns None, as there is nothing to suggest.
    """
    if not isinstance(s, str) or _DIGITS_ANY_WIDTH.fullmatch(s) is None:
        return None
    converted = s.translate(_FULLWIDTH_DIGITS)
    if converted == s or len(converted) != 6:
        return None
    return converted


# --- Unified social credit code (GB 32100-2015) ---------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}


@dataclass(frozen=True)
class UsccResult:
    """Outcome of :func:`validate_uscc`.

    ``ok`` is True for a valid code, and then every other field is None.
    Otherwise ``reason`` is one of:

    * ``'length'``: the code is not 18 characters long;
    * ``'charset'``: ``bad_index`` (0-based) and ``bad_char`` give the first
      character outside the alphabet.  If that character is a lower-case
      letter whose upper-case form is allowed, ``expected`` holds the upper
      case form so the caller can say "use upper case" (see
      :attr:`lowercase`);
    * ``'check_digit'``: the last character is wrong; ``bad_index`` is 17,
      ``bad_char`` is the character found and ``expected`` the correct one.
    """

    ok: bool
    reason: str | None = None
    bad_index: int | None = None
    bad_char: str | None = None
    expected: str | None = None

    @property
    def lowercase(self) -> bool:
        """True if the failure is a lower-case letter that is fine upper-cased."""
        return (
            self.reason == "charset"
            and self.bad_char is not None
            and self.expected is not None
            and self.bad_char != self.expected
            and self.bad_char.upper() == self.expected
        )


def uscc_check_char(first17: str) -> str | None:
    """Compute the check character for the first 17 characters of a USCC.

    Returns None if ``first17`` is not exactly 17 characters long or holds a
    character outside :data:`USCC_CHARSET` (lower case included).
    """
    if not isinstance(first17, str) or len(first17) != 17:
        return None
    total = 0
    for ch, weight in zip(first17, USCC_WEIGHTS):
        value = _USCC_VALUE.get(ch)
        if value is None:
            return None
        total += value * weight
    check = 31 - total % 31
    return USCC_CHARSET[0 if check == 31 else check]


def validate_uscc(code: str) -> UsccResult:
    """Validate a unified social credit code and explain the first problem.

    Checks, in order: length 18, every character in :data:`USCC_CHARSET`,
    then the check character.  See :class:`UsccResult` for the fields.
    """
    if not isinstance(code, str) or len(code) != 18:
        return UsccResult(ok=False, reason="length")
    for index, ch in enumerate(code):
        if ch not in _USCC_VALUE:
            upper = ch.upper()
            hint = upper if ch.isascii() and upper in _USCC_VALUE else None
            return UsccResult(
                ok=False, reason="charset", bad_index=index, bad_char=ch,
                expected=hint,
            )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return UsccResult(
            ok=False, reason="check_digit", bad_index=17, bad_char=code[17],
            expected=expected,
        )
    return UsccResult(ok=True)
