"""L05 (lecture 000): XOR from two perceptrons combined into a small multi-layer network.

The first threshold unit computes h = x1 AND x2, the second sees x1, x2 and h and fires when
x1 + x2 - 2 h - 1 >= 0. All four rows of XOR come out right.

Run: python examples/L05_xor_two_perceptrons.py
"""

from rosenblatt.classic import gate


def main(argv=None):
    """Print the network and its truth table; return the outputs for 00, 01, 10, 11."""
    xor = gate("xor_L05")
    print(f"{xor.formula}  (lecture {xor.lecture})")
    table = xor.truth_table()
    print(table.format(output_name="x1 XOR x2"))
    return table.outputs.tolist()


if __name__ == "__main__":
    main()
