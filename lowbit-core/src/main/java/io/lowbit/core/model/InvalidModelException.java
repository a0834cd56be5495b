package io.lowbit.core.model;

/**
 * An integer model that breaks a rule of {@code docs/integer-semantics.md} or of the graph structure. The message
 * names the node (when there is one), its op and the rule, e.g.
 * {@code node 'conv2' (conv2d): weights have shape (8×4×3×3), expected (8×8×3×3) (docs/integer-semantics.md §4)}.
 */
public class InvalidModelException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String nodeId;

    public InvalidModelException(String message) {
        super(message);
        this.nodeId = null;
    }

    public InvalidModelException(String nodeId, String opKind, String rule, Throwable cause) {
        super("node '" + nodeId + "'" + (opKind == null ? "" : " (" + opKind + ")") + ": " + rule, cause);
        this.nodeId = nodeId;
    }

    /** The offending node, or {@code null} for model-level rules. */
    public String nodeId() {
        return nodeId;
    }
}
