package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.model.Shape;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The node-by-node comparison names the first node and position where a candidate engine goes wrong. */
class EngineComparisonTest {

    /** A candidate that corrupts one element of one node's output (and everything downstream). */
    private static final class OffByOne implements IntegerEngine {

        private final String target;

        OffByOne(String target) {
            this.target = target;
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public int[] run(IntegerModel model, byte[] image, NodeObserver observer) {
            return new ReferenceEngine().run(model, image, (node, out) -> {
                int[] v = out.toArray();
                if (node.id().equals(target)) {
                    v[v.length - 1] ^= 1;
                }
                observer.onOutput(node, IntTensor.of(out.shape(), v));
            });
        }
    }

    @Test
    void namesTheFirstDifferingNodeAndPosition() {
        IntegerModel model = RandomModels.model(7);
        byte[] image = RandomModels.image(model, new SplittableRandom(1));
        ReferenceEngine ref = new ReferenceEngine();
        assertTrue(EngineComparison.firstMismatch(ref, ref, model, image).isEmpty());
        Node victim = model.nodes().get(1);
        Optional<NodeMismatch> m = EngineComparison.firstMismatch(ref, new OffByOne(victim.id()), model, image);
        assertTrue(m.isPresent());
        assertEquals(victim.id(), m.get().node().id());
        assertEquals(victim.output().shape().elementCount() - 1, m.get().flatIndex());
        assertEquals(m.get().expected() ^ 1, m.get().actual());
        assertTrue(m.get().toString().contains("'" + victim.id() + "'"), m.get().toString());
    }

    @Test
    void unflattensRowMajor() {
        assertEquals(List.of(1, 2, 3), EngineComparison.unflatten(Shape.chw(2, 3, 4), 12 + 8 + 3));
    }
}
