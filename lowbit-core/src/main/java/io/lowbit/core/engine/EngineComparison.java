package io.lowbit.core.engine;

import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bit-exact comparison of two engines node by node, so a difference names the first node (unit) where it appears,
 * not just a wrong logit.
 */
public final class EngineComparison {

    private EngineComparison() {
    }

    /** The first differing element in model order, or empty when every node's output is identical. */
    public static Optional<NodeMismatch> firstMismatch(IntegerEngine expected, IntegerEngine actual,
            IntegerModel model, byte[] image) {
        Map<String, IntTensor> want = expected.runAllNodes(model, image);
        Map<String, IntTensor> got = actual.runAllNodes(model, image);
        for (Node node : model.nodes()) {
            IntTensor w = want.get(node.id());
            IntTensor g = got.get(node.id());
            if (g == null || !g.shape().equals(w.shape())) {
                return Optional.of(new NodeMismatch(node, -1, List.of(), expected.name(), 0, actual.name(), 0));
            }
            for (int i = 0; i < w.size(); i++) {
                if (w.get(i) != g.get(i)) {
                    return Optional.of(new NodeMismatch(node, i, unflatten(w.shape(), i), expected.name(), w.get(i),
                            actual.name(), g.get(i)));
                }
            }
        }
        return Optional.empty();
    }

    /** Row-major indexes of {@code flatIndex} in {@code shape}. */
    public static List<Integer> unflatten(Shape shape, int flatIndex) {
        int[] idx = new int[shape.rank()];
        int rest = flatIndex;
        for (int a = shape.rank() - 1; a >= 0; a--) {
            idx[a] = rest % shape.dim(a);
            rest /= shape.dim(a);
        }
        List<Integer> out = new ArrayList<>();
        for (int v : idx) {
            out.add(v);
        }
        return out;
    }
}
