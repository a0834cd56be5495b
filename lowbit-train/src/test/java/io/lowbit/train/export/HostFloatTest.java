package io.lowbit.train.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.nn.ConvSpec;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.quant.FixedPointQuantizer;
import org.junit.jupiter.api.Test;

/** The host replay of the training graph's float32 arithmetic is bit-exact against DJL. */
class HostFloatTest {

    /** Identity weight transform that records the (folded) weight it is given. */
    private static final class Capture extends AbstractBlock {
        float[] seen;

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            seen = inputs.singletonOrThrow().toFloatArray();
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    @Test
    void hostBnFoldEqualsTheFoldedForwardBitForBit() {
        int outC = 64;
        ConvUnit unit = new ConvUnit(new ConvSpec("c", 5, outC, 3, 1, 1, 1, true, false));
        Capture capture = new Capture();
        unit.setWeightTransform(capture);
        try (NDManager m = NDManager.newBaseManager()) {
            unit.setInitializer(new NormalInitializer(0.3f), ai.djl.nn.Parameter.Type.WEIGHT);
            unit.initialize(m, DataType.FLOAT32, new Shape(1, 5, 4, 4));
            m.getEngine().setRandomSeed(11);
            unit.gamma().getArray().set(m.randomUniform(-2f, 2f, new Shape(outC)).toFloatArray());
            unit.beta().getArray().set(m.randomUniform(-1f, 1f, new Shape(outC)).toFloatArray());
            unit.runningMean().getArray().set(m.randomUniform(-3f, 3f, new Shape(outC)).toFloatArray());
            float[] var = m.randomUniform(0f, 3f, new Shape(outC)).toFloatArray();
            var[0] = 0;        // ε dominates
            var[1] = 1e-7f;
            var[2] = 1234.5f;
            unit.runningVar().getArray().set(var);
            unit.setBnMode(ConvUnit.BnMode.FOLDED);
            // zero input: the output at every position is the folded bias b'
            NDArray y = unit.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 5, 4, 4))), false)
                    .singletonOrThrow();
            HostFloat.Folded f = HostFloat.foldBn(unit);
            assertArrayEquals(capture.seen, f.weight(), "folded weights W·γ/√(σ²+ε)");
            // the pure-Java float32 reference is within 1 ULP (PyTorch's float sqrt is not correctly rounded)
            HostFloat.Folded ref = HostFloat.foldBn(unit.weight().getArray().toFloatArray(),
                    unit.gamma().getArray().toFloatArray(), unit.beta().getArray().toFloatArray(),
                    unit.runningMean().getArray().toFloatArray(), unit.runningVar().getArray().toFloatArray());
            int differ = 0;
            for (int i = 0; i < ref.weight().length; i++) {
                float a = ref.weight()[i];
                float b = capture.seen[i];
                org.junit.jupiter.api.Assertions.assertTrue(Math.abs(a - b) <= 2 * Math.ulp(b), i + ": " + a + " vs " + b);
                differ += a == b ? 0 : 1;
            }
            System.out.println("pure-Java BN fold: " + differ + " of " + ref.weight().length
                    + " folded weights differ from PyTorch's (by ≤ 2 ULP)");
            float[] out = y.toFloatArray();
            float[] biasSeen = new float[outC];
            for (int o = 0; o < outC; o++) {
                biasSeen[o] = out[o * 16 + 5]; // interior position (1, 1)
            }
            assertArrayEquals(biasSeen, f.bias(), "folded bias β − μ·γ/√(σ²+ε)");
        }
    }

    @Test
    void inputTableEqualsTheTrainingInputQuantizer() {
        Normalization norm = Normalization.CIFAR10;
        for (Rounding r : new Rounding[] {Rounding.TRUNCATE_TOWARD_ZERO, Rounding.ROUND_HALF_UP}) {
            for (FixedPointFormat f : new FixedPointFormat[] {FixedPointFormat.Q3_5, new FixedPointFormat(2, 4)}) {
                int[] table = HostFloat.inputTable(norm, 3, f, r);
                float[] x = new float[3 * 256];
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 256; p++) {
                        x[c * 256 + p] = norm.apply(c, p);
                    }
                }
                FixedPointQuantizer q = new FixedPointQuantizer(f, r);
                try (NDManager m = NDManager.newBaseManager()) {
                    q.initialize(m, DataType.FLOAT32, new Shape(3 * 256));
                    float[] y = q.forward(new ParameterStore(m, false), new NDList(m.create(x)), false)
                            .singletonOrThrow().toFloatArray();
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(y[i] * (float) Math.scalb(1.0, f.fractionBits()), (float) table[i],
                                "channel " + i / 256 + " pixel " + i % 256 + " " + f + " " + r);
                    }
                }
            }
        }
    }
}
