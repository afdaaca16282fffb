#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus: one small input per entry of abi_fuzzer.cpp's kEntries.

FuzzedDataProvider takes integers from the end of an input and buffer contents from its front,
so the last byte picks the entry (kEntries has ENTRIES rows) and the bytes before it, mostly low
ones, decode as small valid sizes, dtypes and layouts. The fuzzer mutates from there; run this
again (and commit the result) when kEntries changes.

    python3 native/fuzz/make_seeds.py
"""
import pathlib
import random

ENTRIES = 26
corpus = pathlib.Path(__file__).resolve().parent / "corpus"
corpus.mkdir(exist_ok=True)
for entry in range(ENTRIES):
    rng = random.Random(entry)
    body = bytes(rng.choice(range(0, 96)) for _ in range(95))
    (corpus / f"entry{entry:02d}").write_bytes(body + bytes([entry]))
