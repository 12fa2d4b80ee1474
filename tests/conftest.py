"""Fixtures shared by the tests."""

import gzip
import struct

import numpy as np
import pytest


def write_idx(path, array):
    """``array`` (uint8) as a gzipped IDX file, MNIST's format."""
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape)
    path.write_bytes(gzip.compress(header + array.tobytes()))


@pytest.fixture(scope="session")
def mnist_dir(tmp_path_factory):
    """MNIST's four files, small (600 training and 200 test images), written by the tests:
    each digit a fixed random 28 x 28 picture plus noise, so a network can learn them."""
    directory = tmp_path_factory.mktemp("mnist")
    rng = np.random.default_rng(2024)
    pictures = rng.integers(0, 256, size=(10, 28, 28))
    for images, labels, n in (("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 600),
                              ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 200)):
        y = rng.integers(0, 10, size=n).astype(np.uint8)
        x = np.clip(pictures[y] + rng.normal(0, 60, size=(n, 28, 28)), 0, 255).astype(np.uint8)
        write_idx(directory / f"{images}.gz", x)
        write_idx(directory / f"{labels}.gz", y)
    return directory


@pytest.fixture
def matches_torch_optim():
    """``check(ours, torch_class, torch_hp, rtol)``: ten steps of the optimizer ``ours`` and of
    ``torch.optim.<torch_class>(**torch_hp)`` on a noisy quadratic, L = sum(c theta^2 / 2 -
    b theta) with gradient noise, from the same start, end at the same parameters (float64).
    Skips without PyTorch."""
    torch = pytest.importorskip("torch")

    def check(ours, torch_class, torch_hp, rtol=1e-10):
        rng = np.random.default_rng(2)
        c, b = rng.uniform(0.5, 2.0, size=6), rng.normal(size=6)
        noise = rng.normal(scale=0.3, size=(10, 6))

        def grad(theta, k):
            return c * theta - b + noise[k]

        theta = rng.normal(size=6)
        p = torch.nn.Parameter(torch.tensor(theta.copy(), dtype=torch.float64))
        reference = getattr(torch.optim, torch_class)([p], **torch_hp)
        for k in range(10):
            p.grad = torch.from_numpy(grad(p.detach().numpy().copy(), k))
            reference.step()
            ours.apply([theta], [grad(theta, k)])
        np.testing.assert_allclose(theta, p.detach().numpy(), rtol=rtol, atol=1e-12)

    return check
