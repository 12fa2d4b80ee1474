"""L11 (lecture 001, quiz): which w2 make tau(w0 + w1 x1 + w2 x2) a NAND gate?

With tau(z) = 1 iff z >= 0, w0 = 1 and w1 = -0.3, the answer is w2 in [-1, -0.7): w2 = -1 and
-0.8 give NAND, -0.7 and -1.01 do not.

Run: python examples/L11_nand_quiz.py
"""

import numpy as np
from rosenblatt.classic import nand_interval
from rosenblatt.classic.logic import tau

ROWS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
NAND = [1, 1, 1, 0]


def is_nand(w0, w1, w2):
    """True when tau(w0 + w1 x1 + w2 x2) equals NAND on all four rows."""
    return tau(w0 + ROWS @ np.array([w1, w2])).tolist() == NAND


def main(argv=None):
    """Return ``{'interval': Interval, 'checks': {w2: is NAND}}``."""
    interval = nand_interval(1.0, -0.3)
    print(f"w0 = 1, w1 = -0.3: the neuron is NAND exactly for w2 in {interval}")
    checks = {}
    for w2 in (-1.0, -0.8, -0.7, -1.01):
        checks[w2] = is_nand(1.0, -0.3, w2)
        print(f"  w2 = {w2:5g}: NAND {checks[w2]!s:5s}  (in interval: {w2 in interval})")
    return {"interval": interval, "checks": checks}


if __name__ == "__main__":
    main()
