package io.lowbit.core.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One operation of the graph: its id, its op, the ids of its inputs (earlier nodes) and the tensor it produces.
 * Ids are 1..100 characters of {@code [A-Za-z0-9_.-]} starting with a letter, digit or underscore; they also name
 * the node's tensor files ({@code tensors/<id>.<param>.npy}).
 *
 * @param id     unique id, e.g. {@code conv1}
 * @param op     the operation and its parameters
 * @param inputs ids of the input nodes, as many as {@link Op#arity()}
 * @param output the produced tensor; must equal what the op derives from its inputs
 */
public record Node(String id, Op op, List<String> inputs, TensorInfo output) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(op, "op");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(output, "output");
        if (!isValidId(id)) {
            throw new InvalidModelException("node id '" + id + "' must be 1..100 characters of [A-Za-z0-9_.-],"
                    + " starting with a letter, digit or underscore");
        }
    }

    public static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    /** The single input id of a one-input op. */
    public String input() {
        return inputs.get(0);
    }
}
