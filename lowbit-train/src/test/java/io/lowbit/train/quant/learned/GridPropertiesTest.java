package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every quantizer's forward lands on its grid: outputs are integer multiples of its step, codes lie in
 * [−Q_N, Q_P] (so at most 2^b distinct values), and 0 maps to 0; for any bit width, sign, scale and data.
 */
class GridPropertiesTest {

    enum Kind { LSQ, LSQ_CHANNEL, LSFQ, LSFQ_CHANNEL, PACT, DOREFA, DOREFA_FOLDED }

    @Provide
    Arbitrary<Kind> kinds() {
        return Arbitraries.of(Kind.class);
    }

    @Property(tries = 120)
    void outputsAreCodesTimesTheStep(@ForAll("kinds") Kind kind, @ForAll @IntRange(min = 2, max = 8) int bits,
                                     @ForAll boolean signed, @ForAll boolean weights, @ForAll long seed) {
        Random rnd = new Random(seed);
        boolean isWeight = weights && kind != Kind.PACT;
        boolean channel = isWeight && (kind == Kind.LSQ_CHANNEL || kind == Kind.LSFQ_CHANNEL
                || kind == Kind.DOREFA_FOLDED);
        Grid grid = new Grid(bits, isWeight || signed);
        Shape shape = isWeight ? new Shape(4, 3, 3, 3) : new Shape(2, 3, 4, 4);
        double spread = Math.exp(rnd.nextGaussian() * 2);
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            double v = rnd.nextGaussian() * spread * (channel ? 1 + i / 27 : 1);
            x[i] = (float) (grid.signed() ? v : Math.max(0, v));
        }
        x[5] = 0f;
        Block q = build(kind, grid, isWeight, channel, rnd);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            float[] y = Harness.run(q, m, shape, x, null).y();
            float[] steps = ((GridQuantizer) q).steps();
            int perStep = y.length / steps.length;
            Set<Integer> distinct = new HashSet<>();
            for (int c = 0; c < steps.length; c++) {
                assertTrue(steps[c] > 0 && Float.isFinite(steps[c]), "step " + steps[c]);
                float[] part = java.util.Arrays.copyOfRange(y, c * perStep, (c + 1) * perStep);
                for (int code : Harness.codes(part, steps[c], grid)) {
                    distinct.add(code);
                }
                if (steps.length == 1) {
                    assertTrue(distinct.size() <= grid.qp() + grid.qn() + 1);
                }
            }
            assertTrue(grid.qp() + grid.qn() + 1 <= 1 << bits);
            assertEquals(0f, y[5], "zero maps to zero");
        }
    }

    private static Block build(Kind kind, Grid grid, boolean weight, boolean channel, Random rnd) {
        TensorRole role = weight ? TensorRole.WEIGHT : TensorRole.ACTIVATION;
        Granularity gran = channel ? Granularity.CHANNEL : Granularity.TENSOR;
        return switch (kind) {
            case LSQ, LSQ_CHANNEL -> new LsqQuantizer(grid, role, gran);
            case LSFQ, LSFQ_CHANNEL -> new LsfqQuantizer(grid, role, gran, 0.01 + rnd.nextDouble());
            case PACT -> new PactQuantizer(grid, (float) (0.1 + rnd.nextDouble() * 10));
            case DOREFA -> weight ? new DorefaWeightQuantizer(grid.bits()) : new DorefaActivationQuantizer(grid);
            case DOREFA_FOLDED -> weight ? new FoldedDorefaWeightQuantizer(grid.bits())
                    : new DorefaActivationQuantizer(grid);
        };
    }
}
