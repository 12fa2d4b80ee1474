"""L01 (lecture 000): McCulloch-Pitts neurons.

Excitatory inputs are summed against a threshold and any active inhibitory input vetoes
firing. Prints the truth tables of AND, OR and "A AND NOT B" (B inhibitory).

Run: python examples/L01_mcculloch_pitts.py
"""

from rosenblatt.classic import McCullochPitts


def main(argv=None):
    """Print the three truth tables; return ``{name: outputs}`` in the order 00, 01, 10, 11."""
    neurons = {
        "AND": McCullochPitts.and_gate(),
        "OR": McCullochPitts.or_gate(),
        "A AND NOT B": McCullochPitts.and_not(),
    }
    outputs = {}
    for name, neuron in neurons.items():
        table = neuron.truth_table()
        print(f"{name}: {neuron!r}")
        print(table.format(input_names=["A", "B"], output_name=name) + "\n")
        outputs[name] = table.outputs.tolist()
    return outputs


if __name__ == "__main__":
    main()
