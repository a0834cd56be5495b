package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.model.SampleModels;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link FastEngine} against {@link ReferenceEngine}, node by node: the sample model, hundreds of random models (whose
 * features are counted, so a generator that stops producing one fails here), host-table inputs, the extreme input
 * codes; the batch method against single runs; bad images; the model cache.
 */
class FastEngineTest {

    private static final int MODELS = 400;

    private final ReferenceEngine reference = new ReferenceEngine();
    /** More threads than this machine has cores, so every layer's output channels are split. */
    private final FastEngine fast = new FastEngine(3);

    @Test
    void theSampleModelMatchesNodeByNode() {
        IntegerModel model = SampleModels.everyOp();
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 5; k++) {
            requireSameNodes(model, RandomModels.image(model, rng), "sample image " + k);
        }
        for (byte[] image : extremeImages(model)) {
            requireSameNodes(model, image, "sample, constant image " + (image[0] & 0xFF));
        }
    }

    @Test
    void randomModelsMatchNodeByNode() {
        Set<String> seen = new TreeSet<>();
        for (long seed = 0; seed < MODELS; seed++) {
            IntegerModel model = RandomModels.model(seed);
            seen.addAll(features(model));
            SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
            for (int k = 0; k < 2; k++) {
                requireSameNodes(model, RandomModels.image(model, rng), "seed " + seed + ", image " + k);
            }
            for (byte[] image : extremeImages(model)) {
                requireSameNodes(model, image, "seed " + seed + ", constant image " + image[0]);
            }
        }
        Set<String> wanted = Set.of("stride 2", "asymmetric padding", "grouped conv", "depthwise conv",
                "codebook weights", "int16 weights", "per-channel input zero-points", "max pool", "avg pool",
                "global avg pool", "add", "channel pad", "linear", "accumulator output", "shift stage",
                "requantize stage", "conv on a 1-wide map");
        assertTrue(seen.containsAll(wanted), "random models lack " + wanted.stream().filter(f -> !seen.contains(f))
                .toList());
    }

    /** Small models mostly take the patch layout; both layouts are checked on every conv here. */
    @Test
    void bothConvLayoutsMatchTheReference() {
        for (long seed = 0; seed < MODELS; seed++) {
            IntegerModel model = RandomModels.model(seed);
            requireBothConvLayouts(model, RandomModels.image(model, new SplittableRandom(seed)));
        }
    }

    @Test
    void hostTableInputsMatchNodeByNode() {
        int checked = 0;
        for (long seed = 0; checked < 60; seed++) {
            IntegerModel codes = RandomModels.model(seed);
            if (((Input) codes.inputNode().op()).normalization() != null) {
                continue;
            }
            SplittableRandom rng = new SplittableRandom(seed);
            IntegerModel model = withHostTable(codes, rng);
            int n = model.inputNode().output().shape().elementCount();
            for (int k = 0; k < 2; k++) {
                byte[] pixels = new byte[n];
                rng.nextBytes(pixels);
                requireSameNodes(model, pixels, "host table, seed " + seed + ", image " + k);
            }
            requireSameNodes(model, new byte[n], "host table, seed " + seed + ", pixels 0");
            byte[] white = new byte[n];
            Arrays.fill(white, (byte) 255);
            requireSameNodes(model, white, "host table, seed " + seed + ", pixels 255");
            checked++;
        }
    }

    @Test
    void theBatchMethodAgreesWithSingleRuns() {
        FastEngine serial = new FastEngine(1);
        for (long seed = 0; seed < 40; seed++) {
            IntegerModel model = seed == 0 ? SampleModels.everyOp() : RandomModels.model(seed);
            SplittableRandom rng = new SplittableRandom(seed);
            List<byte[]> images = new ArrayList<>();
            for (int k = 0; k < 7; k++) {
                images.add(RandomModels.image(model, rng));
            }
            int[][] batch = fast.runBatch(model, images);
            int[][] serialBatch = serial.runBatch(model, images);
            assertEquals(images.size(), batch.length);
            for (int k = 0; k < images.size(); k++) {
                int[] expected = reference.run(model, images.get(k));
                assertArrayEquals(expected, serial.run(model, images.get(k)), "seed " + seed + ", image " + k);
                assertArrayEquals(expected, batch[k], "batch, seed " + seed + ", image " + k);
                assertArrayEquals(expected, serialBatch[k], "serial batch, seed " + seed + ", image " + k);
            }
            assertArrayEquals(reference.runBatch(model, images), batch);
        }
        assertEquals(0, fast.runBatch(SampleModels.everyOp(), List.of()).length);
    }

    @Test
    void badImagesFailAsInTheReference() {
        IntegerModel model = RandomModels.model(3);
        int n = model.inputNode().output().shape().elementCount();
        byte[] shortImage = new byte[n - 1];
        String expected = assertThrows(IllegalArgumentException.class, () -> reference.run(model, shortImage))
                .getMessage();
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> fast.run(model, shortImage))
                .getMessage());
        List<byte[]> batch = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            batch.add(new byte[n]);
        }
        batch.set(3, shortImage);
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> fast.runBatch(model, batch))
                .getMessage(), "the original exception, not a wrapped copy");

        Input in = new Input(Shape.chw(1, 2, 2), IntType.signed(4), List.of(0), null);
        IntegerModel narrow = IntegerModel.builder("narrow").input("x", in, 1.0)
                .node("pool", new MaxPool(Window.square(1, 1, 0)), "x").build();
        byte[] outside = {0, 1, 8, -1};
        assertEquals(assertThrows(IllegalArgumentException.class, () -> reference.run(narrow, outside)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> fast.run(narrow, outside)).getMessage());
    }

    @Test
    void theCacheKeysModelsByIdentityAndStaysBounded() {
        FastEngine engine = new FastEngine(1);
        IntegerModel a = SampleModels.everyOp();
        IntegerModel b = SampleModels.everyOp();
        assertEquals(a, b);
        assertNotSame(a, b);
        List<IntegerModel> models = new ArrayList<>();
        for (long seed = 0; seed < ModelCache.CAPACITY + 4; seed++) {
            models.add(RandomModels.model(seed));
        }
        SplittableRandom rng = new SplittableRandom(1);
        for (int round = 0; round < 3; round++) {
            for (IntegerModel m : models) {
                byte[] image = RandomModels.image(m, rng);
                assertArrayEquals(reference.run(m, image), engine.run(m, image), m.toString());
            }
            byte[] image = RandomModels.image(a, rng);
            assertArrayEquals(engine.run(a, image), engine.run(b, image));
        }
        assertEquals(ModelCache.CAPACITY, engine.cachedModels());
    }

    @Test
    void compiledOutputStagesEqualTheModelsStages() {
        int[] fixed = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -65536, -1, 0, 1, 65535, Integer.MAX_VALUE - 1,
            Integer.MAX_VALUE};
        SplittableRandom rng = new SplittableRandom(11);
        Set<String> kinds = new TreeSet<>();
        for (long seed = 0; seed < 200; seed++) {
            for (Node node : RandomModels.model(seed).nodes()) {
                OutputStage stage = node.op() instanceof Conv2d c ? c.outputStage()
                        : node.op() instanceof Linear l ? l.outputStage() : null;
                if (stage == null) {
                    continue;
                }
                kinds.add(stage.kind());
                int channels = node.output().shape().channels();
                FastOutputStage compiled = FastOutputStage.of(stage, channels);
                for (int o = 0; o < channels; o++) {
                    for (int k = 0; k < fixed.length + 200; k++) {
                        int acc = k < fixed.length ? fixed[k] : k % 2 == 0 ? rng.nextInt()
                                : rng.nextInt(-100_000, 100_000);
                        if (compiled.apply(acc, o) != stage.apply(acc, o)) {
                            fail("node " + node.id() + " " + stage + ", channel " + o + ", acc " + acc + ": "
                                    + compiled.apply(acc, o) + " ≠ " + stage.apply(acc, o));
                        }
                    }
                }
            }
        }
        assertEquals(Set.of("accumulator", "requantize", "shift"), kinds);
    }

    private void requireSameNodes(IntegerModel model, byte[] image, String what) {
        Optional<NodeMismatch> m = EngineComparison.firstMismatch(reference, fast, model, image);
        if (m.isPresent()) {
            fail(what + ": " + m.get());
        }
    }

    /** Each conv of {@code model}, in both {@link FastConv2d} layouts, against {@link ReferenceEngine#conv2d}. */
    static void requireBothConvLayouts(IntegerModel model, byte[] image) {
        Map<String, IntTensor> values = new ReferenceEngine().runAllNodes(model, image);
        for (Node node : model.nodes()) {
            if (node.op() instanceof Conv2d conv) {
                TensorInfo in = model.node(node.input()).output();
                int[] x = values.get(node.input()).toArray();
                int[] expected = ReferenceEngine.conv2d(conv, in, x, node.output());
                for (boolean patches : new boolean[] {true, false}) {
                    int[] got = new FastConv2d(conv, in, node.output(), patches).apply(new int[][] {x},
                            Workers.SERIAL);
                    assertArrayEquals(expected, got, () -> (patches ? "patches" : "taps") + ", " + model + ", node "
                            + node.id() + ": " + conv);
                }
            }
        }
    }

    /** The image of all smallest and the one of all largest input codes (raw pixels 0 and 255 for a pixel input). */
    static List<byte[]> extremeImages(IntegerModel model) {
        Input in = (Input) model.inputNode().op();
        boolean pixels = in.normalization() != null || in.hostTable() != null;
        int lo = pixels ? 0 : in.type().min();
        int hi = pixels ? 255 : in.type().max();
        int n = in.shape().elementCount();
        byte[] min = new byte[n];
        byte[] max = new byte[n];
        Arrays.fill(min, (byte) lo);
        Arrays.fill(max, (byte) hi);
        return List.of(min, max);
    }

    /** {@code model} with its host-quantized input given a random host table (raw pixels in). */
    static IntegerModel withHostTable(IntegerModel model, SplittableRandom rng) {
        Node inputNode = model.inputNode();
        Input in = (Input) inputNode.op();
        int channels = in.shape().channels();
        int[] table = new int[channels * Input.PIXEL_VALUES];
        for (int i = 0; i < table.length; i++) {
            table[i] = rng.nextInt(in.type().min(), in.type().max() + 1);
        }
        Input hosted = Input.hostQuantized(in.shape(), new QuantizedType(in.type(), in.zeroPoints().get(0)),
                IntTensor.of(Shape.of(channels, Input.PIXEL_VALUES), table));
        List<Node> nodes = new ArrayList<>(model.nodes());
        nodes.set(0, new Node(inputNode.id(), hosted, List.of(), inputNode.output()));
        return new IntegerModel(model.metadata(), nodes, model.outputId());
    }

    /** The features of {@code model} this test must see somewhere among the random models. */
    private static Set<String> features(IntegerModel model) {
        Set<String> f = new TreeSet<>();
        for (Node node : model.nodes()) {
            if (node.op() instanceof Conv2d c) {
                TensorInfo in = model.node(node.input()).output();
                Window w = c.window();
                int inC = in.shape().channels();
                add(f, w.strideH() > 1 || w.strideW() > 1, "stride 2");
                add(f, w.padTop() != w.padBottom() || w.padLeft() != w.padRight(), "asymmetric padding");
                add(f, c.groups() > 1 && c.groups() < inC, "grouped conv");
                add(f, c.groups() == inC && inC > 1, "depthwise conv");
                add(f, in.hasPerChannelZeroPoints(), "per-channel input zero-points");
                add(f, in.shape().height() == 1 || in.shape().width() == 1, "conv on a 1-wide map");
                stageFeatures(f, c.outputStage());
                weightFeatures(f, c.weights().codeType(), c.weights() instanceof CodebookWeights);
            } else if (node.op() instanceof Linear l) {
                f.add("linear");
                stageFeatures(f, l.outputStage());
                weightFeatures(f, l.weights().codeType(), l.weights() instanceof CodebookWeights);
            } else if (node.op() instanceof AvgPool p) {
                TensorInfo in = model.node(node.input()).output();
                f.add(p.window().isGlobalFor(in.shape().height(), in.shape().width()) ? "global avg pool" : "avg pool");
            } else if (node.op() instanceof MaxPool) {
                f.add("max pool");
            } else if (node.op() instanceof Add) {
                f.add("add");
            } else if (node.op() instanceof ChannelPadSubsample) {
                f.add("channel pad");
            }
        }
        return f;
    }

    private static void stageFeatures(Set<String> f, OutputStage stage) {
        f.add(stage instanceof OutputStage.Accumulator ? "accumulator output"
                : stage instanceof OutputStage.Shift ? "shift stage" : "requantize stage");
    }

    private static void weightFeatures(Set<String> f, IntType type, boolean codebook) {
        add(f, codebook, "codebook weights");
        add(f, !codebook && type.equals(IntType.INT16), "int16 weights");
    }

    private static void add(Set<String> f, boolean present, String feature) {
        if (present) {
            f.add(feature);
        }
    }
}
