package io.lowbit.core.engine;

import io.lowbit.core.model.Node;
import java.util.List;

/**
 * The first element where two engines disagree: which node, where in its output, both values, and the node's op
 * and tensor so the report names the unit and its quantization parameters.
 *
 * @param node           the node whose output differs (or is missing)
 * @param flatIndex      row-major position in the node's output, −1 if the candidate did not report the node
 * @param position       the position as indexes into the output shape, e.g. {@code [c, y, x]}
 * @param expectedEngine name of the reference side
 * @param expected       the reference value
 * @param actualEngine   name of the candidate side
 * @param actual         the candidate value
 */
public record NodeMismatch(Node node, int flatIndex, List<Integer> position, String expectedEngine, int expected,
        String actualEngine, int actual) {

    public NodeMismatch {
        position = List.copyOf(position);
    }

    @Override
    public String toString() {
        if (flatIndex < 0) {
            return actualEngine + " reported no output for node '" + node.id() + "' (" + node.op().kind() + ")";
        }
        return "node '" + node.id() + "' (" + node.op().kind() + ") differs at " + position + " (flat " + flatIndex
                + "): " + expectedEngine + " " + expected + ", " + actualEngine + " " + actual + "; output "
                + node.output() + "; op " + node.op();
    }
}
