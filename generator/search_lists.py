"""Posting lists read back from the index's files, changed document by document, and
encoded again: the inverse of search_index's encoders, for the incremental update
(search_update.py).

A list is held as its ascending document numbers and their signatures (an array of
unsigned 16-bit numbers, in the same order); `encode` gives exactly the bytes
search_index writes for such a list. Bytes that are not in the index's form raise
ValueError or IndexError, which the update turns into a full rebuild.
"""
from __future__ import annotations

import sys
from array import array
from bisect import bisect_left

from .search_index import encode_numbers

_BIT_OFFSETS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    """The varint at `at`, and where the next value starts."""
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 127) << shift
        shift += 7
        if byte < 128:
            return n, at


def decode_numbers(data: bytes, at: int, count: int) -> tuple[list[int], int]:
    """The document numbers encoded at `at` (encode_numbers, in an index of `count`
    documents), and where they end."""
    form, (length, at) = data[at], read_varint(data, at + 1)
    if form == 1:
        size = (count + 7) // 8
        bitmap = data[at:at + size]
        numbers = [index << 3 | bit for index, byte in enumerate(bitmap) if byte for bit in _BIT_OFFSETS[byte]]
        if len(bitmap) != size or len(numbers) != length:
            raise ValueError("bitmap does not hold its count")
        return numbers, at + size
    if form != 0:
        raise ValueError(f"unknown form {form}")
    numbers, last = [], 0
    for _ in range(length):
        byte = data[at]
        at += 1
        if byte >= 128:
            byte, shift = byte & 127, 7
            while True:
                more = data[at]
                at += 1
                byte |= (more & 127) << shift
                shift += 7
                if more < 128:
                    break
        last += byte
        numbers.append(last)
    return numbers, at


def read_shard(data: bytes) -> dict[str, bytes]:
    """A shard file's small lists, {bigram: numbers and signatures as stored}."""
    count, at = read_varint(data, 0)
    heads = []
    for _ in range(count):
        first, at = read_varint(data, at)
        second, at = read_varint(data, at)
        length, at = read_varint(data, at)
        heads.append((chr(first) + chr(second), length))
    lists = {}
    for bigram, length in heads:
        lists[bigram] = data[at:at + length]
        at += length
    if at != len(data):
        raise ValueError("shard lengths do not add up")
    return lists


def signature_array(data: bytes) -> array:
    """Signatures as stored (two bytes each, low first)."""
    sigs = array("H")
    sigs.frombytes(data)
    if sys.byteorder == "big":
        sigs.byteswap()
    return sigs


def split(data: bytes, count: int) -> tuple[list[int], array]:
    """A small list as stored in its shard: its numbers and their signatures."""
    numbers, end = decode_numbers(data, 0, count)
    sigs = signature_array(data[end:])
    if len(sigs) != len(numbers):
        raise ValueError("signatures do not match the numbers")
    return numbers, sigs


def patch(numbers: list[int], sigs: array, changes: dict[int, int | None]) -> None:
    """Apply {document: its new signature, or None when it no longer holds the bigram}."""
    for number, signature in changes.items():
        at = bisect_left(numbers, number)
        present = at < len(numbers) and numbers[at] == number
        if signature is None:
            if present:
                del numbers[at]
                del sigs[at]
        elif present:
            sigs[at] = signature
        else:
            numbers.insert(at, number)
            sigs.insert(at, signature)


def positions(data: bytes, count: int, wanted: list[int]) -> list[int]:
    """Where each wanted document stands in the numbers stored in data (encode_numbers, in an
    index of `count` documents), which must hold it: its signature's place. A bitmap is
    counted, not decoded."""
    if data[0] != 1:
        numbers = decode_numbers(data, 0, count)[0]
        found = [bisect_left(numbers, n) for n in wanted]
        if any(at == len(numbers) or numbers[at] != n for at, n in zip(found, wanted)):
            raise ValueError("a document is not in the list")
        return found
    at = read_varint(data, 1)[1]
    out = []
    for n in wanted:
        byte = data[at + (n >> 3)]
        if not byte >> (n & 7) & 1:
            raise ValueError("a document is not in the list")
        below = int.from_bytes(data[at:at + (n >> 3)], "little")  # the bits of the bytes before n's
        out.append(below.bit_count() + (byte & ((1 << (n & 7)) - 1)).bit_count())
    return out


def signature_bytes(sigs: array) -> bytes:
    """Signatures as stored (two bytes each, low first)."""
    out = array("H", sigs)
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


def encode(numbers: list[int], sigs: array, count: int) -> tuple[bytes, bytes]:
    """The list's numbers (in an index of `count` documents) and its signatures, as stored."""
    return encode_numbers(numbers, count), signature_bytes(sigs)
