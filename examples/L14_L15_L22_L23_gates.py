"""L14, L15, L22, L23 (lectures 002, 003): logic gates from threshold neurons.

L14: NOT (beta1 = -1, beta0 = 0.5), AND (1, 1, -1.5), OR (1, 1, -0.5) with a step output.
L15: XOR by beta = [[1, 1, -0.5], [1, 1, -1.5], [1, -2, -0.5]].
L22: AND, OR, NOT as [x1 + x2 - 3/2 > 0], [x1 + x2 - 1/2 > 0], [-x1 + 1/2 > 0].
L23: XOR by the feature [x1 + x2 - 2 x1 x2 - 1/2 > 0] and by [(x1 OR x2) - (x1 AND x2) - 1/2 > 0].

Run: python examples/L14_L15_L22_L23_gates.py
"""

from rosenblatt.classic import gate

GATES = (
    "not_L14",
    "and_L14",
    "or_L14",
    "xor_L15",
    "and_L22",
    "or_L22",
    "not_L22",
    "xor_feature_L23",
    "xor_or_and_L23",
)


def main(argv=None):
    """Print every truth table; return ``{gate name: outputs in counting order}``."""
    outputs = {}
    for name in GATES:
        g = gate(name)
        table = g.truth_table()
        print(f"{name} (lecture {g.lecture}): {g.formula}")
        print(table.format(output_name=name) + "\n")
        outputs[name] = table.outputs.tolist()
    return outputs


if __name__ == "__main__":
    main()
