package io.lowbit.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Assembles an {@link IntegerModel} node by node, deriving each node's output tensor from its op and inputs, so the
 * caller only gives the real scale(s). Errors name the node at once. Not thread-safe.
 *
 * <pre>{@code
 * IntegerModel m = IntegerModel.builder("tiny")
 *         .input("input", Input.pixels(norm, 32, 32))
 *         .node("conv1", conv1, 0.05, "input")
 *         .node("pool1", new MaxPool(Window.square(2, 2, 0)), "conv1")
 *         .node("fc", fc, List.of(0.001, 0.002), "pool1")   // int32 logits with per-class scales
 *         .build();                                          // output: the last node
 * }</pre>
 */
public final class IntegerModelBuilder {

    private final ModelMetadata metadata;
    private final List<Node> nodes = new ArrayList<>();

    IntegerModelBuilder(ModelMetadata metadata) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
    }

    /** A normalized pixel input ({@link Input#pixels}), scale 1/255 (§3). */
    public IntegerModelBuilder input(String id, Input input) {
        if (input.normalization() == null) {
            throw new InvalidModelException(id, input.kind(), "host-quantized input codes need an explicit scale", null);
        }
        return input(id, input, io.lowbit.core.arith.PixelNormalization.INPUT_SCALE);
    }

    /** The input node with an explicit scale (e.g. 2^−5 for Q3.5 codes). */
    public IntegerModelBuilder input(String id, Input input, double scale) {
        return append(id, input, List.of(scale), List.of());
    }

    /** A node with one output scale. */
    public IntegerModelBuilder node(String id, Op op, double scale, String... inputs) {
        return append(id, op, List.of(scale), List.of(inputs));
    }

    /** A node with per-channel output scales (int32 accumulator outputs only). */
    public IntegerModelBuilder node(String id, Op op, List<Double> scales, String... inputs) {
        return append(id, op, scales, List.of(inputs));
    }

    /** A node whose op keeps its input's scale ({@link Op#inheritsScales()}: max pool, channel padding). */
    public IntegerModelBuilder node(String id, Op op, String... inputs) {
        if (!op.inheritsScales()) {
            throw new InvalidModelException(id, op.kind(), "needs an output scale", null);
        }
        return append(id, op, List.of(1.0), List.of(inputs));
    }

    /** The output tensor of node {@code id} added so far. */
    public TensorInfo info(String id) {
        return find(id).output();
    }

    /** The model with the last node as output. */
    public IntegerModel build() {
        if (nodes.isEmpty()) {
            throw new InvalidModelException("a model needs at least its input node");
        }
        return build(nodes.get(nodes.size() - 1).id());
    }

    public IntegerModel build(String outputId) {
        return new IntegerModel(metadata, nodes, outputId);
    }

    private IntegerModelBuilder append(String id, Op op, List<Double> scales, List<String> inputs) {
        Objects.requireNonNull(op, "op");
        if (inputs.size() != op.arity()) {
            throw new InvalidModelException(id, op.kind(), "takes " + op.arity() + " input(s), got " + inputs.size(),
                    null);
        }
        List<TensorInfo> infos = new ArrayList<>();
        for (String in : inputs) {
            infos.add(find(in).output());
        }
        nodes.add(new Node(id, op, inputs, IntegerModel.derive(id, op, infos, scales)));
        return this;
    }

    private Node find(String id) {
        for (Node n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        throw new InvalidModelException("no node '" + id + "' has been added yet");
    }
}
