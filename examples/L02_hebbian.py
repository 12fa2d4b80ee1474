"""L02 (lecture 000): Hebb's rule w_xy <- w_xy + alpha * x * y.

After k co-activations of x = y = 1 the weight has grown by k * alpha; when either x or y is 0
it does not grow at all.

Run: python examples/L02_hebbian.py [--alpha 0.1] [--k 5]
"""

import argparse

from rosenblatt.classic import Hebbian


def main(argv=None):
    """Apply the rule k times for each (x, y) pair; return ``{(x, y): final weight}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", type=float, default=0.1, help="learning rate alpha")
    parser.add_argument("--k", type=int, default=5, help="number of presentations")
    args = parser.parse_args(argv)
    weights = {}
    for x, y in ((1, 1), (1, 0), (0, 1), (0, 0)):
        rule = Hebbian(learning_rate=args.alpha)
        for _ in range(args.k):
            rule.update(x, y)
        weights[(x, y)] = float(rule.weights_[0, 0])
        print(f"x={x} y={y}: after {args.k} updates w_xy = {weights[(x, y)]:g}")
    print(f"k * alpha = {args.k * args.alpha:g}")
    return weights


if __name__ == "__main__":
    main()
