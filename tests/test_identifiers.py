"""Tests for generator.identifiers: record ids, region codes, USCC."""

import random

import pytest

from generator.identifiers import (
    SAFE_ID,
    UsccResult,
    fullwidth_to_ascii,
    is_region_code,
    is_safe_id,
    uscc_check_char,
    validate_uscc,
)

# Written out independently of the module under test.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def make_uscc(first17: str) -> str:
    s = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + CHARSET[(31 - s % 31) % 31]


# --- safe ids --------------------------------------------------------------

@pytest.mark.parametrize("good", [
    "a", "7", "d-371721-2025-001", "abc", "a-b", "x" * 64, "0" * 63 + "a",
    "2025-report",
])
def test_safe_id_accepts(good):
    assert is_safe_id(good)


@pytest.mark.parametrize("bad", [
    "", "Abc", "ABC", "a_b", "-abc", "abc-", "-", "x" * 65, "abc\n", "\nabc",
    "a b", "a.b", "ａbc",  # full-width a
    "аbc",  # Cyrillic a (U+0430)
    "项目", "abc/def",
])
def test_safe_id_rejects(bad):
    assert not is_safe_id(bad)


def test_safe_id_regex_rejects_trailing_newline_even_with_match():
    assert SAFE_ID.match("abc\n") is None
    assert SAFE_ID.match("abc") is not None


# --- region codes ------------------------------------------------------------

@pytest.mark.parametrize("good", ["371525", "370000", "000000"])
def test_region_code_accepts_six_ascii_digits(good):
    assert is_region_code(good)


@pytest.mark.parametrize("bad", [
    "３７１５２５", "37152５", "37152", "3715250", "371525\n", " 371525",
    "37152a", "٣٧١٥٢٥",  # Arabic-Indic digits
    "",
])
def test_region_code_rejects(bad):
    assert not is_region_code(bad)


def test_fullwidth_region_code_gets_a_hint():
    assert fullwidth_to_ascii("３７１５２５") == "371525"
    assert fullwidth_to_ascii("37１5２5") == "371525"  # mixed widths


@pytest.mark.parametrize("no_hint", [
    "371525",  # already fine: nothing to suggest
    "３７１５２",  # five digits
    "３７１５２５６",  # seven digits
    "３７１５２ａ", "３７ １５２５", "", "٣٧١٥٢٥",
])
def test_fullwidth_hint_only_when_it_gives_a_valid_code(no_hint):
    assert fullwidth_to_ascii(no_hint) is None


# --- unified social credit code -------------------------------------------------

def test_spec_example_is_valid():
    # The example in the data-format documentation; its check char is X.
    assert validate_uscc("52370000MJD000011X") == UsccResult(ok=True)
    assert uscc_check_char("52370000MJD000011") == "X"


def test_published_standard_example_is_valid():
    # Example code commonly quoted from GB 32100-2015.
    assert validate_uscc("91350100M000100Y43").ok


def test_constructed_codes_validate_and_one_changed_char_is_caught():
    rng = random.Random(2015)
    for _ in range(2000):
        first17 = "".join(rng.choice(CHARSET) for _ in range(17))
        code = make_uscc(first17)
        assert uscc_check_char(first17) == code[17]
        assert validate_uscc(code).ok
        wrong = rng.choice([c for c in CHARSET if c != code[17]])
        result = validate_uscc(first17 + wrong)
        assert result.reason == "check_digit"
        assert result.expected == code[17]
        assert result.bad_index == 17 and result.bad_char == wrong


def test_check_value_31_maps_to_zero():
    # "00000000000000000": sum 0 -> 31 - 0 = 31 -> '0'.
    assert uscc_check_char("0" * 17) == "0"
    assert validate_uscc("0" * 18).ok


@pytest.mark.parametrize("code", ["", "5237000MJD000011X", "52370000MJD000011XX"])
def test_wrong_length(code):
    result = validate_uscc(code)
    assert not result.ok and result.reason == "length"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_excluded_letters_rejected_with_index(letter):
    code = "52370000M" + letter + "D000011X"
    result = validate_uscc(code)
    assert not result.ok
    assert result.reason == "charset"
    assert result.bad_index == 9
    assert result.bad_char == letter
    assert result.expected is None


def test_first_bad_char_is_reported():
    result = validate_uscc("5237000?MJD00001Z1")
    assert (result.reason, result.bad_index, result.bad_char) == ("charset", 7, "?")


def test_lowercase_is_charset_error_with_upper_case_hint():
    result = validate_uscc("52370000mJD000011X")
    assert not result.ok and result.reason == "charset"
    assert result.bad_index == 8 and result.bad_char == "m"
    assert result.expected == "M" and result.lowercase
    lower_check = validate_uscc("52370000MJD000011x")
    assert lower_check.bad_index == 17 and lower_check.expected == "X"
    # 'o' upper-cased is still not allowed: no upper-case hint.
    excluded = validate_uscc("52370000oJD000011X")
    assert excluded.reason == "charset" and excluded.expected is None
    assert not excluded.lowercase


def test_uscc_check_char_rejects_bad_input():
    assert uscc_check_char("52370000MJD00001") is None  # 16 chars
    assert uscc_check_char("52370000MJD0000111") is None  # 18 chars
    assert uscc_check_char("52370000mJD000011") is None
    assert uscc_check_char("52370000IJD000011") is None


def test_full_width_uscc_rejected():
    result = validate_uscc("５2370000MJD000011X")
    assert result.reason == "charset" and result.bad_index == 0
    assert result.expected is None
