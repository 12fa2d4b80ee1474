"""L16 (lecture 002): stacked linear neurons collapse to one linear map.

A two-layer network with linear activations computes x W1 W2 (+ b1 W2 + b2), which is one Dense
layer with the product weights w_hat = W1 W2 and bias b1 W2 + b2.

Run: python examples/L16_linear_collapse.py [--seed 0]
"""

import argparse

import numpy as np
from rosenblatt.layers import Dense

from rosenblatt import Sequential


def main(argv=None):
    """Return ``{'two_layers': outputs, 'one_layer': outputs}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    deep = Sequential(
        [
            Dense(4, input_dim=3, bias_initializer="random_normal", dtype="float64"),
            Dense(2, bias_initializer="random_normal", dtype="float64"),
        ],
        seed=args.seed,
    )
    W1, b1, W2, b2 = deep.get_weights()
    shallow = Sequential([Dense(2, input_dim=3, dtype="float64")], seed=args.seed)
    shallow.set_weights([W1 @ W2, b1 @ W2 + b2])
    x = np.random.default_rng(args.seed).normal(size=(5, 3))
    two, one = deep.predict(x), shallow.predict(x)
    print(f"w_hat = W1 W2 =\n{W1 @ W2}")
    print(f"max |two layers - one layer| = {np.max(np.abs(two - one)):.1e}")
    return {"two_layers": two, "one_layer": one}


if __name__ == "__main__":
    main()
