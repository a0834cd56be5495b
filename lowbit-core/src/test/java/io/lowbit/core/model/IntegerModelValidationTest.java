package io.lowbit.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.Rounding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Construction rejects every broken graph with a message naming the node and the rule. */
class IntegerModelValidationTest {

    private static final QuantizedType U8 = new QuantizedType(IntType.UINT8, 0);

    private static void rejects(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }

    private static Conv2d conv(int outC, int inC, int k, IntType wType, int weight, int bias, OutputStage stage) {
        int[] w = new int[outC * inC * k * k];
        java.util.Arrays.fill(w, weight);
        int[] b = new int[outC];
        java.util.Arrays.fill(b, bias);
        return new Conv2d(Window.square(k, 1, k / 2), 1, new IntegerWeights(wType, IntTensor.of(Shape.of(outC, inC, k,
                k), w)), IntTensor.vector(b), stage);
    }

    private static OutputStage requant(int channels, QuantizedType out) {
        FixedPointMultiplier[] m = new FixedPointMultiplier[channels];
        java.util.Arrays.fill(m, FixedPointMultiplier.fromScale(0.01));
        return new OutputStage.Requantize(new Requantizer(m, OutputClamp.saturating(out), Rounding.ROUND_HALF_UP));
    }

    private static IntegerModelBuilder input(int c, int h, int w) {
        return IntegerModel.builder("t").input("x", Input.codes(Shape.chw(c, h, w), U8), 1.0);
    }

    @Test
    void sampleModelIsValid() {
        IntegerModel m = SampleModels.everyOp();
        assertEquals(9, m.nodes().size());
        assertEquals(Shape.features(10), m.outputNode().output().shape());
        assertEquals(SampleModels.everyOp(), m);
        assertEquals(SampleModels.everyOp().hashCode(), m.hashCode());
    }

    @Test
    void shapesMustChain() {
        rejects(() -> input(3, 8, 8).node("c", conv(4, 2, 3, IntType.INT8, 1, 0, requant(4, U8)), 1.0, "x"),
                "node 'c' (conv2d)", "weights have shape (4×2×3×3), expected (4×3×3×3)", "§4");
        Linear fc = new Linear(new IntegerWeights(IntType.INT8, IntTensor.of(Shape.of(2, 5), new int[10])),
                IntTensor.vector(0, 0), new OutputStage.Accumulator());
        rejects(() -> input(1, 2, 3).node("fc", fc, 1.0, "x"), "node 'fc' (linear)", "expected (2×6)");
        rejects(() -> input(3, 2, 2).node("c", new Conv2d(Window.square(5, 1, 0), 1, new IntegerWeights(IntType.INT8,
                IntTensor.of(Shape.of(1, 3, 5, 5), new int[75])), IntTensor.vector(0), requant(1, U8)), 1.0, "x"),
                "node 'c'", "exceeds the padded input");
    }

    @Test
    void declaredOutputMustEqualWhatTheOpProduces() {
        IntegerModel good = input(1, 4, 4).node("p", new MaxPool(Window.square(2, 2, 0)), "x").build();
        Node p = good.node("p");
        Node wrong = new Node("p", p.op(), p.inputs(), TensorInfo.of(Shape.chw(1, 3, 3), U8, 1.0));
        rejects(() -> new IntegerModel(good.metadata(), List.of(good.inputNode(), wrong), "p"), "node 'p' (max_pool)",
                "declares output (1×3×3)", "op produces (1×2×2)");
        Node otherScale = new Node("p", p.op(), p.inputs(), TensorInfo.of(Shape.chw(1, 2, 2), U8, 0.5));
        rejects(() -> new IntegerModel(good.metadata(), List.of(good.inputNode(), otherScale), "p"), "node 'p'");
    }

    @Test
    void typesMustMatchWhatConsumersExpect() {
        AveragePool pool = new AveragePool(4, new QuantizedType(IntType.UINT8, 5), FixedPointMultiplier.fromScale(0.25),
                OutputClamp.saturating(U8), Rounding.ROUND_HALF_UP);
        rejects(() -> input(1, 4, 4).node("avg", new AvgPool(Window.square(2, 2, 0), pool), 1.0, "x"),
                "node 'avg' (avg_pool)", "pool input type uint8(z=5)");
        // int32 logits cannot feed another layer
        rejects(() -> input(1, 2, 2).node("acc", conv(2, 1, 1, IntType.INT8, 1, 0, new OutputStage.Accumulator()),
                1.0, "x").node("p", new MaxPool(Window.square(1, 1, 0)), "acc"), "node 'p' (max_pool)", "int32", "§15");
        // per-channel pixel zero-points feed only a conv
        rejects(() -> IntegerModel.builder("t").input("x", Input.pixels(SampleModels.CIFAR10, 4, 4))
                .node("p", new MaxPool(Window.square(2, 2, 0)), "x"), "node 'p'", "per-channel zero-points", "§3");
        // requantized outputs are activation types
        rejects(() -> input(1, 2, 2).node("c", conv(1, 1, 1, IntType.INT8, 1, 0,
                requant(1, new QuantizedType(IntType.INT32, 0))), 1.0, "x"), "node 'c'", "int32", "§1");
    }

    @Test
    void accumulatorsMustFitInt32NamingTheLayer() {
        QuantizedType i16 = new QuantizedType(IntType.INT16, 0);
        IntegerModelBuilder b = IntegerModel.builder("t").input("x", Input.codes(Shape.chw(1, 4, 4), U8), 1.0)
                .node("wide", conv(64, 1, 1, IntType.INT8, 100, 0, requant(64, i16)), 1.0, "x");
        // K = 64·3·3 = 576, |w| = 32767, |d| = 32768: far beyond int32
        rejects(() -> b.node("big", conv(1, 64, 3, IntType.INT16, 32767, 0, requant(1, U8)), 1.0, "wide"),
                "node 'big' (conv2d)", "layer 'big'", "more than int32", "K=576", "§5");
    }

    @Test
    void graphStructureRules() {
        IntegerModel good = input(1, 2, 2).node("p", new MaxPool(Window.square(1, 1, 0)), "x")
                .node("q", new MaxPool(Window.square(1, 1, 0)), "p").build();
        Node x = good.inputNode();
        Node p = good.node("p");
        Node q = good.node("q");
        ModelMetadata meta = good.metadata();
        rejects(() -> new IntegerModel(meta, List.of(x, p, p, q), "q"), "node 'p'", "duplicate node id");
        rejects(() -> new IntegerModel(meta, List.of(x, q, p), "q"), "node 'q'", "input 'p' is not an earlier node");
        rejects(() -> new IntegerModel(meta, List.of(p, x, q), "q"), "node 'p'", "first node must be the input");
        rejects(() -> new IntegerModel(meta, List.of(x, p, q), "p"), "node 'q'", "does not contribute to the output");
        rejects(() -> new IntegerModel(meta, List.of(x, p, q), "z"), "output 'z' is not a node");
        rejects(() -> new IntegerModel(meta, List.of(), "z"), "at least its input");
        Node twoInputs = new Node("q", q.op(), List.of("p", "x"), q.output());
        rejects(() -> new IntegerModel(meta, List.of(x, p, twoInputs), "q"), "node 'q'", "takes 1 input(s), got 2");
        rejects(() -> new Node("bad id", q.op(), List.of("p"), q.output()), "node id 'bad id'");
        ModelMetadata threeClasses = new ModelMetadata("t", "", java.util.Map.of(), List.of("a", "b", "c"));
        rejects(() -> new IntegerModel(threeClasses, List.of(x, p, q), "q"), "3 classes", "has 4 values");
    }

    @Test
    void parameterRangesAreChecked() {
        Supplier<IntTensor> idx = () -> IntTensor.of(Shape.of(1, 1, 1, 1), 0);
        rejects(() -> new CodebookWeights(IntType.INT8, List.of(5, 1, 2, 3), idx.get()), "entry 0 must be 0", "§1");
        rejects(() -> new CodebookWeights(IntType.INT8, List.of(0, 1, 2), idx.get()), "2^b levels");
        rejects(() -> new CodebookWeights(IntType.INT8, List.of(0, 1), IntTensor.of(Shape.of(1, 1, 1, 1), 2)),
                "indexes span [2, 2]");
        rejects(() -> new IntegerWeights(IntType.unsigned(8), idx.get()), "not a weight type", "§1");
        rejects(() -> new IntegerWeights(IntType.signed(4), IntTensor.of(Shape.of(1, 1, 1, 1), 8)), "outside int4");
        rejects(() -> new MaxPool(Window.square(2, 2, 2)), "smaller than the kernel");
        rejects(() -> new Window(0, 1, 1, 1, 0, 0, 0, 0), "kernel and stride must be ≥ 1");
        rejects(() -> input(2, 2, 2).node("sc", new ChannelPadSubsample(1, 3), "x"), "node 'sc'", "even number", "§14");
        rejects(() -> conv(2, 1, 1, IntType.INT8, 1, 0, requant(3, U8)), "3 multipliers", "2 output channels", "§8");
        rejects(() -> Input.codes(Shape.chw(1, 2, 2), new QuantizedType(IntType.INT16, 0)), "2..8 bits");
        rejects(() -> new Input(Shape.chw(2, 2, 2), IntType.UINT8, List.of(1, 2), null), "normalized pixel input only");
        rejects(() -> new Input(Shape.chw(3, 2, 2), IntType.UINT8, List.of(1, 2, 3), SampleModels.CIFAR10),
                "differ from Z_c", "§3");
        rejects(() -> IntegerModel.builder("t").input("x", Input.pixels(SampleModels.CIFAR10, 2, 2), 0.5),
                "scale 1/255");
        rejects(() -> Shape.of(1 << 16, 1 << 16), "more than 2^30");
        List<Double> perChannel = new ArrayList<>(List.of(1.0, 2.0));
        rejects(() -> input(1, 2, 2).node("c", conv(2, 1, 1, IntType.INT8, 1, 0, requant(2, U8)), perChannel, "x"),
                "node 'c'", "one scale", "§15");
    }
}
