package io.lowbit.train.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.nn.ConvSpec;
import io.lowbit.train.nn.ConvUnit;
import org.junit.jupiter.api.Test;

/** The BN-folded, fixed-point-quantized conv gives the same gradients whatever the JVM frees before backward. */
class FoldedGradientLifetimeTest {

    @Test
    void foldedQuantizedConvGradientsSurviveGarbageCollection() throws InterruptedException {
        float[][] clean = gradients(false);
        float[][] churned = gradients(true);
        assertArrayEquals(clean[0], churned[0], "weight gradient");
        assertArrayEquals(clean[1], churned[1], "gamma gradient");
    }

    private static float[][] gradients(boolean churn) throws InterruptedException {
        ConvUnit unit = new ConvUnit(new ConvSpec("c", 3, 4, 3, 1, 1, 1, true, true));
        unit.setWeightTransform(new FixedPointQuantizer(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO));
        unit.setOutputTransform(new FixedPointQuantizer(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO));
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            unit.setInitializer(new ai.djl.training.initializer.NormalInitializer(0.5f),
                    ai.djl.nn.Parameter.Type.WEIGHT);
            unit.initialize(m, DataType.FLOAT32, new Shape(2, 3, 6, 6));
            unit.getParameters().values().forEach(p -> {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            });
            unit.setBnMode(ConvUnit.BnMode.FOLDED);
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.arange(2f * 3 * 6 * 6).reshape(2, 3, 6, 6).div(step.create(50f)).sin();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = unit.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                    if (churn) {
                        GcChurn.churn(m);
                    }
                    gc.backward(y.sum());
                }
                return new float[][] {unit.weight().getArray().getGradient().toFloatArray(),
                    unit.gamma().getArray().getGradient().toFloatArray()};
            }
        }
    }
}
