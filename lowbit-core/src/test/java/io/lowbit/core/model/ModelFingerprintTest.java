package io.lowbit.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.Rounding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Equal models have equal fingerprints; changing any one parameter changes it. */
class ModelFingerprintTest {

    @Test
    void equalModelsHaveEqualFingerprints() {
        assertEquals(SampleModels.everyOp().fingerprint(), SampleModels.everyOp().fingerprint());
        assertTrue(SampleModels.everyOp().fingerprint().matches("[0-9a-f]{64}"));
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(RandomModels.model(seed).fingerprint(), RandomModels.model(seed).fingerprint());
        }
    }

    @Test
    void randomModelsHaveDistinctFingerprints() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            assertTrue(seen.add(RandomModels.model(seed).fingerprint()), "seed " + seed);
        }
    }

    /** One-parameter edits of the sample model: each gives a new fingerprint. */
    @Test
    void everyParameterChangesTheFingerprint() {
        IntegerModel base = SampleModels.everyOp();
        List<IntegerModel> variants = new ArrayList<>();
        variants.add(base);
        variants.add(new IntegerModel(new ModelMetadata("other", base.metadata().source(),
                base.metadata().provenance(), base.metadata().classNames()), base.nodes(), base.outputId()));
        variants.add(new IntegerModel(new ModelMetadata(base.metadata().name(), base.metadata().source(),
                Map.of("commit", "0123abd", "accuracy", "0.1"), base.metadata().classNames()), base.nodes(),
                base.outputId()));
        variants.add(edit(base, "conv1", op -> {
            Conv2d c = (Conv2d) op;
            int[] w = ((IntegerWeights) c.weights()).codes().toArray();
            w[w.length - 1] ^= 1;
            return new Conv2d(c.window(), c.groups(), new IntegerWeights(((IntegerWeights) c.weights()).type(),
                    IntTensor.of(c.weights().shape(), w)), c.bias(), c.outputStage());
        }));
        variants.add(edit(base, "conv1", op -> {
            Conv2d c = (Conv2d) op;
            int[] b = c.bias().toArray();
            b[0]++;
            return new Conv2d(c.window(), c.groups(), c.weights(), IntTensor.vector(b), c.outputStage());
        }));
        variants.add(edit(base, "conv1", op -> {
            Conv2d c = (Conv2d) op;
            Requantizer q = ((OutputStage.Requantize) c.outputStage()).requantizer();
            FixedPointMultiplier[] m = new FixedPointMultiplier[q.channels()];
            for (int o = 0; o < m.length; o++) {
                m[o] = q.multiplier(o);
            }
            m[3] = new FixedPointMultiplier(m[3].multiplierQ31() + 1, m[3].rightShift());
            return new Conv2d(c.window(), c.groups(), c.weights(), c.bias(),
                    new OutputStage.Requantize(new Requantizer(m, q.output(), q.rounding())));
        }));
        variants.add(edit(base, "conv1", op -> {
            Conv2d c = (Conv2d) op;
            Requantizer q = ((OutputStage.Requantize) c.outputStage()).requantizer();
            FixedPointMultiplier[] m = new FixedPointMultiplier[q.channels()];
            for (int o = 0; o < m.length; o++) {
                m[o] = q.multiplier(o);
            }
            return new Conv2d(c.window(), c.groups(), c.weights(), c.bias(),
                    new OutputStage.Requantize(new Requantizer(m, q.output(), Rounding.ROUND_HALF_EVEN)));
        }));
        variants.add(edit(base, "dw", op -> {
            Conv2d c = (Conv2d) op;
            CodebookWeights w = (CodebookWeights) c.weights();
            return new Conv2d(c.window(), c.groups(), new CodebookWeights(w.levelType(), List.of(0, -20, 13, 41),
                    w.indexes()), c.bias(), c.outputStage());
        }));
        for (IntegerModel v : variants) {
            new IntegerModel(v.metadata(), v.nodes(), v.outputId()); // each variant is itself valid
        }
        Set<String> fingerprints = new HashSet<>();
        for (IntegerModel v : variants) {
            fingerprints.add(v.fingerprint());
        }
        assertEquals(variants.size(), fingerprints.size());
        assertNotEquals(base, variants.get(variants.size() - 1));
    }

    private static IntegerModel edit(IntegerModel m, String id, UnaryOperator<Op> change) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : m.nodes()) {
            nodes.add(n.id().equals(id) ? new Node(n.id(), change.apply(n.op()), n.inputs(), n.output()) : n);
        }
        return new IntegerModel(m.metadata(), nodes, m.outputId());
    }
}
