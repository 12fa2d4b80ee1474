"""L29 (lecture 004): XOR and XNOR from networks of gates.

XOR with targets in {-1, 1} and a bias input x0 = 1: two sign units (OR and AND) and an output
sign unit. NOT(A XOR B) = (A AND B) OR ((NOT A) AND (NOT B)), built once from step gates and
once from the sigmoid units of lecture 004.

Run: python examples/L29_xor_networks.py
"""

from rosenblatt.classic import gate

GATES = ("xor_pm1_L29", "xnor_L29", "xnor_sigmoid_L29")


def main(argv=None):
    """Print the truth tables; return ``{gate name: outputs for 00, 01, 10, 11}``."""
    outputs = {}
    for name in GATES:
        g = gate(name)
        table = g.truth_table()
        print(f"{name}: {g.formula}")
        print(table.format(output_name=name) + "\n")
        outputs[name] = table.outputs.tolist()
    return outputs


if __name__ == "__main__":
    main()
