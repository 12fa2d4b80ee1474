"""L03, L04 (lectures 000, 003, 004): Rosenblatt's perceptron rule on the logic gates.

The rule w <- w + alpha (d(x) - y(x)) x learns AND, OR, NAND and NOT, and reports the epoch in
which it converged (L03). On XOR, which is not linearly separable (Minsky and Papert), it never
converges: after any epoch budget at least one row is still wrong, and this is reported as
"not converged", not raised as an error (L04).

Run: python examples/L03_L04_perceptron_gates.py [--max-epochs 50]
"""

import argparse

from rosenblatt.classic import Perceptron, gate_data, perceptron_report


def main(argv=None):
    """Train on each gate; return ``{gate: (converged, epochs, rows wrong)}``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-epochs", type=int, default=50)
    args = parser.parse_args(argv)
    results = {}
    for gate in ("and", "or", "nand", "not", "xor"):
        print(perceptron_report(gate, max_epochs=args.max_epochs) + "\n")
        X, y = gate_data(gate)
        model = Perceptron(max_epochs=args.max_epochs).fit(X, y)
        wrong = int((model.predict(X) != y).sum())
        results[gate] = (bool(model.converged_), model.n_epochs_, wrong)
    return results


if __name__ == "__main__":
    main()
