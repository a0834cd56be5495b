package io.lowbit.train.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import java.nio.DoubleBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guards against the NaN gradients of docs/training.md, "Known problems": PyTorch 2.7.1's oneDNN convolutions
 * of the 1/16-width NIN (the tests' model) and a whole training step of it, in float32, against the same
 * computation in float64 (ATen's reference path; oneDNN has no f64 convolution). Before each float32 op, NaN-filled
 * buffers of the sizes the op allocates (plain and channel-blocked by 8 and 16) are allocated and freed, so that a
 * kernel reading memory it did not write shows as NaN whenever the allocator hands that memory back.
 *
 * <p>It checks the kernels of the test JVM's oneDNN ISA cap (surefire's {@code ONEDNN_MAX_CPU_ISA}); to check the
 * AVX-512/AVX2 kernels the CLI uses, run {@code mvn test -pl lowbit-train -am -Dtest=OneDnnGradientTest
 * -Dlowbit.test.onednnIsa=ALL} (and {@code -Dlowbit.test.ompThreads=2}); {@code scripts/onednn-grad-check.sh}
 * does the same outside Maven for every ISA.
 */
class OneDnnGradientTest {

    /** Batch of the training tests ({@code TinyRuns}). */
    private static final int BATCH = 50;

    @Test
    void everyConvOfTheTinyNinMatchesFloat64ForwardAndBackward() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.0625, 10));
        List<ConvUnit> convs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int hw = 32;
        for (Block b : net.getChildren().values()) {
            if (b instanceof ConvUnit c) {
                convs.add(c);
                sizes.add(hw);
                hw = c.spec().outputSize(hw);
            } else if (b instanceof Pool2d p && !p.global()) {
                hw = (hw + 2 * p.padding() - p.kernel()) / p.stride() + 1;
            }
        }
        assertEquals(9, convs.size());
        Engine.getInstance().setRandomSeed(42);
        try (NDManager root = NDManager.newBaseManager()) {
            for (int repeat = 0; repeat < 2; repeat++) {
                for (int i = 0; i < convs.size(); i++) {
                    checkConv(root, convs.get(i).spec(), sizes.get(i));
                }
            }
        }
    }

    private static void checkConv(NDManager root, ConvSpec c, int hw) {
        try (NDManager m = root.newSubManager()) {
            int k = c.kernel();
            int hwOut = c.outputSize(hw);
            NDArray x = m.randomNormal(new Shape(BATCH, c.inChannels(), hw, hw));
            NDArray w = m.randomNormal(0, (float) Math.sqrt(2.0 / (c.inChannels() * k * k)),
                    new Shape(c.outChannels(), c.inChannels(), k, k), DataType.FLOAT32);
            NDArray dy = m.randomNormal(0, 1e-3f, new Shape(BATCH, c.outChannels(), hwOut, hwOut), DataType.FLOAT32);
            NDArray[] expected = conv(c, x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                    dy.toType(DataType.FLOAT64, true));
            poison(m, BATCH, c.inChannels(), c.outChannels(), hw, hwOut, k);
            NDArray[] actual = conv(c, x, w, dy);
            String[] what = {"forward", "backward data (dx)", "backward weights (dw)"};
            for (int j = 0; j < 3; j++) {
                assertClose(c + " " + hw + "x" + hw + ", " + what[j], actual[j], expected[j], 1e-4);
            }
        }
    }

    private static NDArray[] conv(ConvSpec c, NDArray x0, NDArray w0, NDArray dy) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = Conv2d.conv2d(x, w, null, new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()),
                    new Shape(1, 1), c.groups()).singletonOrThrow();
            gc.backward(y.mul(dy).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient().duplicate(), w.getGradient().duplicate()};
    }

    /** Allocates and frees NaN buffers of every size the conv allocates, plain and channel-blocked (8, 16). */
    private static void poison(NDManager m, int n, int cin, int cout, int hin, int hout, int k) {
        List<Long> floats = new ArrayList<>();
        for (int block : new int[] {1, 8, 16}) {
            floats.add((long) n * roundUp(cin, block) * hin * hin);
            floats.add((long) n * roundUp(cout, block) * hout * hout);
            floats.add((long) roundUp(cin, block) * roundUp(cout, block) * k * k);
        }
        List<NDArray> held = new ArrayList<>();
        for (long size : floats) {
            held.add(m.full(new Shape(size), Float.NaN));
            held.add(m.full(new Shape(size), Float.NaN));
        }
        held.forEach(NDArray::close);
    }

    private static long roundUp(int c, int block) {
        return (long) (c + block - 1) / block * block;
    }

    /**
     * One training step's gradients (forward with batch-statistics BN, cross-entropy, backward) of every
     * parameter of the 1/16-width NIN, float32 against float64: finite and equal to a few ulp of the gradient
     * scale. This is the computation that gave NaN for conv1–conv3 on the affected host.
     */
    @Test
    void aTrainingStepOfTheTinyNinHasTheFloat64Gradients() {
        try (NDManager root = NDManager.newBaseManager()) {
            SequentialBlock net32 = Models.build(ModelSpec.of("nin", 0.0625, 10));
            Networks.initialize(net32, root, 3);
            SequentialBlock net64 = Models.build(ModelSpec.of("nin", 0.0625, 10));
            net64.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
            net64.initialize(root, DataType.FLOAT64, Networks.IMAGE_SHAPE);
            Map<String, Parameter> p32 = Networks.namedParameters(net32);
            for (Map.Entry<String, Parameter> e : Networks.namedParameters(net64).entrySet()) {
                NDArray a = e.getValue().getArray();
                a.set(DoubleBuffer.wrap(p32.get(e.getKey()).getArray().toType(DataType.FLOAT64, false)
                        .toDoubleArray()));
                if (e.getValue().requiresGradient()) {
                    a.setRequiresGradient(true);
                }
            }
            Engine.getInstance().setRandomSeed(5);
            NDArray x = root.randomNormal(new Shape(BATCH, 3, 32, 32));
            NDArray y = root.randomInteger(0, 10, new Shape(BATCH), DataType.INT64);
            for (int repeat = 0; repeat < 2; repeat++) {
                Map<String, NDArray> expected = stepGradients(net64, root, x.toType(DataType.FLOAT64, true), y);
                Map<String, NDArray> actual = stepGradients(net32, root, x, y);
                assertEquals(expected.keySet(), actual.keySet());
                for (String name : actual.keySet()) {
                    assertClose(name + " gradient", actual.get(name), expected.get(name), 1e-3);
                }
            }
        }
    }

    private static Map<String, NDArray> stepGradients(SequentialBlock net, NDManager root, NDArray x, NDArray y) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NDManager m = root.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits));
                gc.backward(loss);
            }
            for (Map.Entry<String, Parameter> e : Networks.namedParameters(net).entrySet()) {
                if (e.getValue().requiresGradient()) {
                    NDArray g = e.getValue().getArray().getGradient().toType(DataType.FLOAT64, true);
                    g.attach(root);
                    out.put(e.getKey(), g);
                }
            }
        }
        return out;
    }

    private static void assertClose(String what, NDArray actual, NDArray expected, double relTol) {
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(e.length, a.length, what);
        int nonFinite = 0;
        int first = -1;
        double scale = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            if (!Double.isFinite(a[i])) {
                nonFinite++;
                first = first < 0 ? i : first;
            } else {
                err = Math.max(err, Math.abs(a[i] - e[i]));
            }
        }
        assertEquals(0, nonFinite, what + ": " + nonFinite + " of " + a.length + " non-finite (first at flat index "
                + first + " of shape " + actual.getShape() + ")");
        assertTrue(err <= relTol * scale, what + ": max error " + err + " vs max |float64| " + scale);
    }
}
