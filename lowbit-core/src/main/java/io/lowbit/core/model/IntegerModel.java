package io.lowbit.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An integer-only CNN: metadata, a DAG of {@link Node}s in topological order (the first is the {@link Input}), and
 * the id of the output node. Immutable and validated on construction against {@code docs/integer-semantics.md}:
 * inputs are earlier nodes with the right arity, every declared tensor equals what its op derives (shapes chain,
 * types match what consumers expect), every accumulator fits int32 (§5,
 * {@link io.lowbit.core.arith.AccumulatorBound#requireFitsInt32}), every node contributes to the output, and int32
 * accumulators appear only as the output (§15). Violations throw {@link InvalidModelException} naming the node and
 * the rule.
 *
 * <p>Build one with {@link #builder}, read one with {@link io.lowbit.core.model.file.IntegerModelFile}, run one with an
 * {@link io.lowbit.core.engine.IntegerEngine}.
 */
public final class IntegerModel {

    private final ModelMetadata metadata;
    private final List<Node> nodes;
    private final String outputId;
    private final Map<String, Integer> positions;
    private volatile String fingerprint;

    public IntegerModel(ModelMetadata metadata, List<Node> nodes, String outputId) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.nodes = List.copyOf(nodes);
        this.outputId = Objects.requireNonNull(outputId, "outputId");
        this.positions = new HashMap<>();
        if (this.nodes.isEmpty()) {
            throw new InvalidModelException("a model needs at least its input node");
        }
        for (int i = 0; i < this.nodes.size(); i++) {
            Node node = this.nodes.get(i);
            validateNode(node, i);
            positions.put(node.id(), i);
        }
        Node out = nodeOrNull(outputId);
        if (out == null) {
            throw new InvalidModelException("the output '" + outputId + "' is not a node of the model");
        }
        requireAllContribute(out);
        List<String> names = metadata.classNames();
        int outputs = out.output().shape().elementCount();
        if (!names.isEmpty() && names.size() != outputs) {
            throw new InvalidModelException("metadata names " + names.size() + " classes, the output '" + outputId
                    + "' has " + outputs + " values");
        }
    }

    /** A builder that derives every node's output tensor from its op. */
    public static IntegerModelBuilder builder(ModelMetadata metadata) {
        return new IntegerModelBuilder(metadata);
    }

    public static IntegerModelBuilder builder(String name) {
        return builder(ModelMetadata.named(name));
    }

    private void validateNode(Node node, int position) {
        String id = node.id();
        String kind = node.op().kind();
        if (positions.containsKey(id)) {
            throw new InvalidModelException(id, kind, "duplicate node id", null);
        }
        boolean isInput = node.op() instanceof Input;
        if (position == 0 && !isInput) {
            throw new InvalidModelException(id, kind, "the first node must be the input", null);
        }
        if (position > 0 && isInput) {
            throw new InvalidModelException(id, kind, "a model has one input, the first node", null);
        }
        if (node.inputs().size() != node.op().arity()) {
            throw new InvalidModelException(id, kind, "takes " + node.op().arity() + " input(s), got "
                    + node.inputs().size(), null);
        }
        List<TensorInfo> infos = new ArrayList<>();
        for (String in : node.inputs()) {
            Integer p = positions.get(in);
            if (p == null) {
                throw new InvalidModelException(id, kind, "input '" + in + "' is not an earlier node (nodes are listed"
                        + " in topological order)", null);
            }
            infos.add(nodes.get(p).output());
        }
        TensorInfo expected = derive(id, node.op(), infos, node.output().scales());
        if (!expected.equals(node.output())) {
            throw new InvalidModelException(id, kind, "declares output " + node.output() + ", but the op produces "
                    + expected, null);
        }
    }

    /**
     * The output {@code op} produces from {@code inputs}, after checking its rules and its accumulator bound (§5);
     * violations throw {@link InvalidModelException} naming node {@code id}.
     */
    static TensorInfo derive(String id, Op op, List<TensorInfo> inputs, List<Double> scales) {
        try {
            TensorInfo out = op.output(inputs, scales);
            if (op instanceof WeightedOp w) {
                w.accumulatorBound(inputs.get(0)).requireFitsInt32(id);
            }
            return out;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidModelException(id, op.kind(), e.getMessage(), e);
        }
    }

    private void requireAllContribute(Node out) {
        Set<String> reached = new HashSet<>();
        Deque<Node> pending = new ArrayDeque<>(List.of(out));
        while (!pending.isEmpty()) {
            Node n = pending.pop();
            if (reached.add(n.id())) {
                for (String in : n.inputs()) {
                    pending.push(node(in));
                }
            }
        }
        for (Node n : nodes) {
            if (!reached.contains(n.id())) {
                throw new InvalidModelException(n.id(), n.op().kind(), "does not contribute to the output '"
                        + out.id() + "'", null);
            }
        }
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    /** All nodes in topological order; the first is the input. */
    public List<Node> nodes() {
        return nodes;
    }

    public String outputId() {
        return outputId;
    }

    public Node inputNode() {
        return nodes.get(0);
    }

    public Node outputNode() {
        return node(outputId);
    }

    /** The node with id {@code id}; throws {@link IllegalArgumentException} if there is none. */
    public Node node(String id) {
        Node n = nodeOrNull(id);
        if (n == null) {
            throw new IllegalArgumentException("model '" + metadata.name() + "' has no node '" + id + "'");
        }
        return n;
    }

    private Node nodeOrNull(String id) {
        Integer p = positions.get(id);
        return p == null ? null : nodes.get(p);
    }

    /** Position of node {@code id} in {@link #nodes()}. */
    public int position(String id) {
        node(id);
        return positions.get(id);
    }

    /** The output tensors of {@code node}'s inputs, in order. */
    public List<TensorInfo> inputInfos(Node node) {
        List<TensorInfo> infos = new ArrayList<>();
        for (String in : node.inputs()) {
            infos.add(node(in).output());
        }
        return Collections.unmodifiableList(infos);
    }

    /**
     * Top-1 class of output values {@code output} ({@code docs/integer-semantics.md} §15): the argmax of the real
     * values, ties to the lowest index. With one scale and one zero-point this is the argmax of the codes themselves
     * (integer-only); with per-channel scales of int32 logits it is the argmax of {@code S[o]·acc[o]} in double.
     */
    public int topClass(int[] output) {
        TensorInfo info = outputNode().output();
        if (output.length != info.shape().elementCount()) {
            throw new IllegalArgumentException("output has " + output.length + " values, the model's output '"
                    + outputId + "' " + info.shape().elementCount());
        }
        int best = 0;
        if (!info.hasPerChannelScales()) {
            for (int i = 1; i < output.length; i++) {
                if (output[i] > output[best]) {
                    best = i;
                }
            }
            return best;
        }
        double bestValue = info.realValue(0, output[0]);
        for (int i = 1; i < output.length; i++) {
            double v = info.realValue(i, output[i]);
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * SHA-256 (lowercase hex) of the model's canonical encoding ({@link ModelFingerprint}): equal models have equal
     * fingerprints, whatever file they came from. Stamped on artefacts derived from the model.
     */
    public String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = ModelFingerprint.of(this);
            fingerprint = f;
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegerModel m && metadata.equals(m.metadata) && nodes.equals(m.nodes)
                && outputId.equals(m.outputId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metadata, nodes, outputId);
    }

    @Override
    public String toString() {
        return "IntegerModel[" + metadata.name() + ", " + nodes.size() + " nodes, output '" + outputId + "' "
                + outputNode().output() + "]";
    }
}
