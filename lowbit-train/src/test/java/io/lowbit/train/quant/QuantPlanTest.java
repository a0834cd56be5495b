package io.lowbit.train.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.data.InputCodes;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.ResidualBlock;
import io.lowbit.train.quant.learned.LearnedGridBias;
import org.junit.jupiter.api.Test;

class QuantPlanTest {

    @Test
    void ninGetsWeightAndProducerQuantizers() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse("fixed:fmt=Q3.5;conv9=float"));
        assertEquals(9, plan.schemes().size());
        assertTrue(plan.schemes().get("conv9").isFloat());
        assertEquals(8, plan.foldable().size());
        ConvUnit conv1 = (ConvUnit) Networks.units(net).get(0);
        // input, weight and output quantizers on the first layer (the authors quantize the network input too)
        assertEquals(3, conv1.getChildren().size());
    }

    /** A learned first layer fed the integer model's input codes rounds its bias onto S_in·S_w[o] like the others. */
    @Test
    void aLearnedFirstLayerFedInputCodesGetsTheirGridAndABiasGrid() {
        InputCodes codes = InputCodes.of(Normalization.CIFAR10, 8);
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse("lsq:w=4,a=4"), codes);
        assertSame(codes, plan.inputCodes());
        assertSame(codes, plan.networkInput(Normalization.CIFAR10));
        ConvUnit conv1 = (ConvUnit) Networks.units(net).get(0);
        assertInstanceOf(LearnedGridBias.class, conv1.biasTransform());
        assertEquals(2, conv1.getChildren().size(), "weight and output quantizers, no input quantizer");

        SequentialBlock floatInput = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan before = QuantPlan.apply(floatInput, QuantSpec.parse("lsq:w=4,a=4"));
        assertNull(before.inputCodes());
        assertSame(Normalization.CIFAR10, before.networkInput(Normalization.CIFAR10));
        assertNull(((ConvUnit) Networks.units(floatInput).get(0)).biasTransform(), "float input: grid unknown");

        SequentialBlock pact = Models.build(ModelSpec.of("nin", 0.125, 10));
        assertSame(codes, QuantPlan.apply(pact, QuantSpec.parse("pact:w=4,a=4"), codes).inputCodes());
        assertInstanceOf(LearnedGridBias.class, ((ConvUnit) Networks.units(pact).get(0)).biasTransform(),
                "bn=fold: the folded bias is the integer model's");
        SequentialBlock pactAfter = Models.build(ModelSpec.of("nin", 0.125, 10));
        assertTrue(QuantPlan.apply(pactAfter, QuantSpec.parse("pact:w=4,a=4,bn=after"), codes).foldable().isEmpty());
        assertNull(((ConvUnit) Networks.units(pactAfter).get(0)).biasTransform(),
                "BN after the conv: bias added later");

        SequentialBlock fixed = Models.build(ModelSpec.of("nin", 0.125, 10));
        assertNull(QuantPlan.apply(fixed, QuantSpec.parse("fixed:fmt=Q3.5"), codes).inputCodes(),
                "a first layer with its own input quantizer takes no codes");
        assertInstanceOf(AccumulatorGridBias.class, ((ConvUnit) Networks.units(fixed).get(0)).biasTransform());
    }

    @Test
    void pactClipLevelsAreDecayedAsThePaperRegularizesThem() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse("pact:w=4,a=4"));
        assertTrue(plan.parameterDecays().size() >= 9, "one α per quantized activation");
        assertTrue(plan.parameterDecays().values().stream().allMatch(d -> d == 5e-4));
        SequentialBlock net2 = Models.build(ModelSpec.of("nin", 0.125, 10));
        assertTrue(QuantPlan.apply(net2, QuantSpec.parse("pact:w=4,a=4,alphadecay=0")).parameterDecays().isEmpty());
        SequentialBlock net3 = Models.build(ModelSpec.of("nin", 0.125, 10));
        assertTrue(QuantPlan.apply(net3, QuantSpec.parse("lsq:w=4,a=4")).parameterDecays().isEmpty());
    }

    @Test
    void quantizedActivationsLieOnTheGrid() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse("fixed:fmt=Q3.5"));
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.initialize(net, m, 3);
            plan.setFolded(true);
            ConvUnit conv1 = (ConvUnit) Networks.units(net).get(0);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray y = conv1.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray codes = y.mul(32);
            assertEquals(0f, codes.sub(codes.round()).abs().max().getFloat(), 1e-4f);
            assertTrue(y.max().getFloat() <= 3.96875f && y.min().getFloat() >= 0f);
        }
    }

    @Test
    void residualOutputsAreQuantizedOnce() {
        SequentialBlock net = Models.build(ModelSpec.of("resnet20", 0.5, 10));
        QuantPlan.apply(net, QuantSpec.parse("fixed:fmt=Q4.4"));
        long residualsWithQuantizer = net.getChildren().values().stream()
                .filter(b -> b instanceof ResidualBlock)
                .filter(b -> b.getChildren().keys().stream().anyMatch(k -> k.endsWith("outputTransform"))).count();
        assertEquals(9, residualsWithQuantizer);
    }

    @Test
    void overridesThatMatchNothingAreErrors() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantPlan.apply(net, QuantSpec.parse("fixed;conv10=float")));
        assertTrue(e.getMessage().contains("[conv10] match no layer"), e.getMessage());
    }

    /** In inference, the folded deployment graph computes what conv → BN computes. */
    @Test
    void foldedModeEqualsBatchNormInInference() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.initialize(net, m, 5);
            for (Block u : Networks.units(net)) {
                ConvUnit c = (ConvUnit) u;
                c.runningMean().getArray().set(m.randomUniform(-0.5f, 0.5f, new Shape(c.spec().outChannels()))
                        .toFloatArray());
                c.runningVar().getArray().set(m.randomUniform(0.5f, 2f, new Shape(c.spec().outChannels()))
                        .toFloatArray());
            }
            NDArray x = m.randomNormal(new Shape(4, 3, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray batchBn = net.forward(ps, new NDList(x), false).singletonOrThrow();
            Networks.units(net).forEach(u -> ((ConvUnit) u).setBnMode(ConvUnit.BnMode.FOLDED));
            NDArray folded = net.forward(ps, new NDList(x), false).singletonOrThrow();
            assertTrue(batchBn.sub(folded).abs().max().getFloat() < 1e-4f);
        }
    }

    /** The clipped straight-through estimator: gradient 1 inside the format's range, 0 outside. */
    @Test
    void fixedPointGradientIsClippedStraightThrough() {
        FixedPointQuantizer q = new FixedPointQuantizer(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO);
        try (NDManager m = NDManager.newBaseManager()) {
            q.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(5));
            NDArray x = m.create(new float[] {-5f, -1.01f, 0.3f, 3.9f, 4.5f});
            x.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = q.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.sum());
            }
            assertEquals("[-4.0, -1.0, 0.28125, 3.875, 3.96875]", java.util.Arrays.toString(y.toFloatArray()));
            assertEquals("[0.0, 1.0, 1.0, 1.0, 0.0]", java.util.Arrays.toString(x.getGradient().toFloatArray()));
        }
    }
}
