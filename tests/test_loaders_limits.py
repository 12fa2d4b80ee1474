"""Loaders that a file cannot make allocate without bound: IDX sizes are checked against the
file before reading, products of sizes are exact, gzip output is capped. The memory cases run
in a subprocess limited to 1 GiB of address space, where an unbounded read would raise
MemoryError (or be killed) instead of the clear ValueError expected."""

import gzip
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from rosenblatt.datasets import idx, load_idx

ROOT = Path(__file__).resolve().parents[1]
GiB = 1 << 30


def _header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(s.to_bytes(4, "big") for s in shape)


def _bomb(path, header, zero_bytes):
    """A gzip file: a member with ``header``, then members of 16 MiB of zeros each (multi-member
    gzip, as gunzip reads it): about 16 KiB of file per 16 MiB of output."""
    block = gzip.compress(bytes(1 << 24), compresslevel=9)
    with path.open("wb") as handle:
        handle.write(gzip.compress(header))
        for _ in range(zero_bytes // (1 << 24)):
            handle.write(block)
    return path


def _load_limited(path) -> str:
    """load_idx(path) in a subprocess with RLIMIT_AS = 1 GiB: what it printed."""
    resource = pytest.importorskip("resource")
    del resource
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({GiB}, {GiB}))
        from rosenblatt.datasets import load_idx
        try:
            array = load_idx({str(path)!r})
            print("loaded", array.shape)
        except MemoryError:
            print("MemoryError")
        except ValueError as exc:
            print("ValueError:", exc)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, cwd=ROOT)
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("idx")
    return {
        "declares 3 GiB": _bomb(folder / "big-idx1-ubyte.gz", _header(0x08, (3 * GiB,)), 3 * GiB),
        "declares 10 bytes": _bomb(folder / "small-idx1-ubyte.gz", _header(0x08, (10,)),
                                   3 * GiB),
        "valid": _bomb(folder / "ok-idx2-ubyte.gz", _header(0x08, (4, 1 << 22)), 1 << 24),
    }


def test_the_limit_lets_a_valid_file_through(files):
    assert files["valid"].stat().st_size < 100_000
    assert "loaded (4, 4194304)" in _load_limited(files["valid"])


def test_a_3_gib_gzip_bomb_is_refused_naming_the_cap(files):
    assert files["declares 3 GiB"].stat().st_size < 4 << 20  # about 3 MiB on disk
    out = _load_limited(files["declares 3 GiB"])
    assert "ValueError:" in out and "MemoryError" not in out, out
    assert f"{3 * GiB + 8} bytes once decompressed, over the cap of {GiB} bytes" in out
    assert "MAX_DECOMPRESSED_BYTES" in out


def test_a_gzip_bomb_behind_a_small_header_stops_after_the_declared_size(files):
    out = _load_limited(files["declares 10 bytes"])
    assert "ValueError:" in out and "unexpected trailing data: expected 10 bytes" in out, out


@pytest.mark.parametrize("gz", [False, True])
def test_sizes_whose_product_overflows_64_bits_are_refused(tmp_path, gz):
    shape = (0xFFFFFFFF, 0xFFFFFFFF, 0x10)  # 2^68 entries: int64 products would wrap
    data = _header(0x0C, shape) + bytes(64)
    path = tmp_path / ("over-idx3.gz" if gz else "over-idx3")
    path.write_bytes(gzip.compress(data) if gz else data)
    out = _load_limited(path)
    assert "ValueError:" in out and "MemoryError" not in out, out
    expected = 0xFFFFFFFF * 0xFFFFFFFF * 0x10 * 4
    if gz:
        assert f"{expected + 16} bytes once decompressed, over the cap" in out
    else:
        assert f"truncated data: expected {expected} bytes for shape {shape}, found 64" in out


def test_a_raw_file_declaring_more_than_it_holds_is_refused_before_reading(tmp_path):
    path = tmp_path / "liar-idx3-ubyte"
    path.write_bytes(_header(0x08, (60000, 28, 28)) + bytes(100))
    out = _load_limited(path)
    assert "truncated data: expected 47040000 bytes for shape (60000, 28, 28), found 100" in out


def test_the_cap_is_a_module_constant_that_can_be_raised(tmp_path, monkeypatch):
    values = np.arange(200, dtype=np.uint8)
    path = tmp_path / "two-hundred.gz"
    path.write_bytes(gzip.compress(_header(0x08, (200,)) + values.tobytes()))
    monkeypatch.setattr(idx, "MAX_DECOMPRESSED_BYTES", 100)
    with pytest.raises(ValueError, match=r"208 bytes once decompressed, over the cap of 100 "
                                         r"bytes \(rosenblatt.datasets.idx.MAX_DECOMPRES"):
        load_idx(path)
    monkeypatch.setattr(idx, "MAX_DECOMPRESSED_BYTES", 208)
    np.testing.assert_array_equal(load_idx(path), values)


def test_a_truncated_gzip_stream_is_a_clear_error(tmp_path):
    data = gzip.compress(_header(0x08, (1000,)) + bytes(range(256)) * 4)
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="cut.gz: (not a valid gzip file|truncated data)"):
        load_idx(path)
