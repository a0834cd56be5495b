package io.lowbit.train.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.junit.jupiter.api.Test;

class BnFoldingTest {

    /** A ConvUnit in inference mode equals one convolution with the folded weights and bias. */
    @Test
    void foldedConvEqualsConvThenBatchNorm() {
        ConvSpec spec = new ConvSpec("c", 4, 6, 3, 2, 1, 1, true, false);
        ConvUnit unit = new ConvUnit(spec);
        try (NDManager m = NDManager.newBaseManager()) {
            unit.setInitializer(new NormalInitializer(0.3f), ai.djl.nn.Parameter.Type.WEIGHT);
            unit.initialize(m, DataType.FLOAT32, new Shape(1, 4, 9, 9));
            unit.gamma().getArray().set(m.randomUniform(0.5f, 2f, new Shape(6)).toFloatArray());
            unit.beta().getArray().set(m.randomUniform(-1f, 1f, new Shape(6)).toFloatArray());
            unit.runningMean().getArray().set(m.randomUniform(-1f, 1f, new Shape(6)).toFloatArray());
            unit.runningVar().getArray().set(m.randomUniform(0.2f, 3f, new Shape(6)).toFloatArray());
            NDArray x = m.randomNormal(new Shape(2, 4, 9, 9));
            NDArray expected = unit.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();

            BnFolding.Folded f = BnFolding.fold(unit.weight().getArray().toFloatArray(), null,
                    unit.gamma().getArray().toFloatArray(), unit.beta().getArray().toFloatArray(),
                    unit.runningMean().getArray().toFloatArray(), unit.runningVar().getArray().toFloatArray(),
                    ConvUnit.BN_EPS);
            NDArray w = m.create(f.weight(), unit.weight().getArray().getShape());
            NDArray b = m.create(f.bias());
            NDArray actual = Conv2d.conv2d(x, w, b, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow();
            float maxDiff = expected.sub(actual).abs().max().getFloat();
            assertTrue(maxDiff < 1e-4f, "max |conv+BN − folded conv| = " + maxDiff);
        }
    }
}
