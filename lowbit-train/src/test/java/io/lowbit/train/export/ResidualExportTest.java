package io.lowbit.train.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.lowbit.core.engine.EngineComparison;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.TestData;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.InputEncoding;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.LrSchedule;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.loop.TrainingRun;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.Pool2d;
import io.lowbit.train.nn.ResidualBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Residual models (ResNet-20 with option-A shortcuts and ReLU after the add; MobileNetV2 with identity and
 * projection shortcuts and no ReLU) exported to integer models: one float epoch on the mini set, one QAT epoch from
 * it, export, file round trip, then the reference engine on raw pixels against the DJL fake-quant model — logits,
 * top-1, and the codes of every top-level block (every residual add among them), as {@link IntegerExportTest} does
 * for the sequential models.
 */
class ResidualExportTest {

    private static final int IMAGES = 100;

    @TempDir
    static Path tmp;
    private static LabeledImages test;
    private static final Map<String, Path> FLOAT = new LinkedHashMap<>();

    @BeforeAll
    static void loadTestImages() throws IOException {
        test = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, TestData.sharedData(), false).test()
                .first(IMAGES);
    }

    private static TrainConfig config(String model, double width, String quant, String init) {
        return new TrainConfig(model, width, "cifar10-mini", "fine", 1, 50, OptimizerConfig.sgd(0.9, false, 5e-4),
                new LrSchedule("cosine", quant == null ? 0.05 : 0.01, 0, 1, java.util.List.of(), 0.1), 7, 50, IMAGES,
                true, 100, quant, init, 0);
    }

    private static Path train(String name, TrainConfig config) throws IOException {
        Path run = tmp.resolve(name);
        TrainingRun.run(config, new TrainingRun.Options(run, TestData.sharedData(), false, false, "test",
                new PrintStream(OutputStream.nullOutputStream())));
        return new RunDirectory(run).lastCheckpoint();
    }

    /** One QAT epoch of {@code quant} from a float epoch of the same model (trained once per model). */
    private static synchronized Path qat(String model, double width, String quant) throws IOException {
        Path f = FLOAT.get(model);
        if (f == null) {
            f = train(model + "-float", config(model, width, null, null));
            FLOAT.put(model, f);
        }
        return train(model + "-" + quant.replaceAll("[^a-z0-9]", "_"), config(model, width, quant, f.toString()));
    }

    @Test
    void resnet20ClipQIsBitExact() throws IOException {
        // Q3.5 everywhere: both add inputs and the output share the step 2^-5, so the add is exact integer
        // addition and ReLU + truncation of a sum on the grid does nothing: the trained graph is the integer model.
        Agreement a = agreement(qat("resnet20", 0.25, "clipq:p=0.2,b=2,fmt=Q3.5"));
        assertEquals(1.0, a.identicalLogits(), "identical logits (max difference " + a.maxDiffLsb() + " LSB)");
        assertEquals(9, a.count(Add.class), "ResNet-20 has 9 residual adds");
        assertEquals(2, a.count(ChannelPadSubsample.class), "two option-A shortcuts (stage 2 and 3 entries)");
        a.codes().forEach((node, equal) -> assertEquals(1.0, equal, node + ": codes equal"));
    }

    @Test
    void resnet20LsqW4A4AgreesWithTheFakeQuantModel() throws IOException {
        Agreement a = agreement(qat("resnet20", 0.25, "lsq:w=4,a=4;first=lsq:w=8,a=8;last=lsq:w=8,a=8"));
        assertTrue(a.topOne() >= 0.98, "top-1 agreement " + a.topOne());
        assertTrue(a.maxDiffLsb() <= 1, "max logit difference " + a.maxDiffLsb() + " LSB");
        a.codes().forEach((node, equal) -> assertTrue(equal >= 0.99, node + ": codes equal " + equal));
    }

    @Test
    void mobilenetv2LsfqW4A4AgreesWithTheFakeQuantModel() throws IOException {
        // the kuangliu variant: identity and 1x1-conv shortcuts on stride-1 blocks, no ReLU after the add (signed)
        Agreement a = agreement(qat("mobilenetv2", 0.125, "lsfq:w=4,a=4;first=lsfq:w=8,a=8;last=lsfq:w=8,a=8"));
        assertEquals(14, a.count(Add.class), "every stride-1 block has a shortcut in this variant");
        assertTrue(a.topOne() >= 0.98, "top-1 agreement " + a.topOne());
        assertTrue(a.maxDiffLsb() <= 1, "max logit difference " + a.maxDiffLsb() + " LSB");
        a.codes().forEach((node, equal) -> assertTrue(equal >= 0.99, node + ": codes equal " + equal));
    }

    @Test
    void mobilenetv2ClipQIsBitExact() throws IOException {
        Agreement a = agreement(qat("mobilenetv2", 0.125, "clipq:p=0.2,b=2,fmt=Q3.5"));
        assertEquals(1.0, a.identicalLogits(), "identical logits (max difference " + a.maxDiffLsb() + " LSB)");
        a.codes().forEach((node, equal) -> assertEquals(1.0, equal, node + ": codes equal"));
    }

    /** Top-1 agreement, identical logits, largest logit difference (output LSB), codes equal per top-level block. */
    private record Agreement(IntegerModel model, double topOne, double identicalLogits, double maxDiffLsb,
                             Map<String, Double> codes) {
        long count(Class<?> op) {
            return model.nodes().stream().filter(n -> op.isInstance(n.op())).count();
        }
    }

    private static Agreement agreement(Path checkpoint) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(checkpoint, 10, m);
            IntegerExport.Result result = IntegerExport.exportWithReport(trained);
            System.out.println("export of " + trained.meta().config().model() + " " + trained.meta().config().quant()
                    + ":\n" + result.summary());
            IntegerModel model = IntegerModelFile.fromBytes(IntegerModelFile.toBytes(result.model()), "residual.lbq");
            assertEquals(result.model().fingerprint(), model.fingerprint());
            InputEncoding input = trained.networkInput(Normalization.forDataset(DatasetName.CIFAR10_MINI));
            Map<String, float[]> djl = djlOutputs(trained.net(), m, input);
            float[] logits = djl.get(model.outputNode().id());
            TensorInfo out = model.outputNode().output();
            ReferenceEngine engine = new ReferenceEngine();
            FastEngine fast = new FastEngine(1);
            int classes = out.shape().elementCount();
            int agree = 0;
            long identical = 0;
            double maxDiff = 0;
            Map<String, long[]> equal = new LinkedHashMap<>();
            for (int i = 0; i < IMAGES; i++) {
                byte[] pixels = Arrays.copyOfRange(test.pixels(), i * LabeledImages.IMAGE_BYTES,
                        (i + 1) * LabeledImages.IMAGE_BYTES);
                Map<String, IntTensor> nodes = engine.runAllNodes(model, pixels);
                int[] codes = nodes.get(model.outputNode().id()).toArray();
                if (i < 10) {
                    assertEquals(java.util.Optional.empty(), EngineComparison.firstMismatch(engine, fast, model,
                            pixels), "fast engine vs reference");
                }
                float[] row = Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
                agree += model.topClass(codes) == argmax(row) ? 1 : 0;
                for (int o = 0; o < classes; o++) {
                    double scale = out.scales().size() == 1 ? out.scales().get(0) : out.scales().get(o);
                    double v = out.realValue(o, codes[o]);
                    maxDiff = Math.max(maxDiff, Math.abs(v - row[o]) / scale);
                    identical += (float) v == row[o] ? 1 : 0;
                }
                for (Node n : model.nodes()) {
                    float[] a = djl.get(n.id());
                    if (a == null || n == model.outputNode() || n.output().scales().size() != 1) {
                        continue;
                    }
                    int size = n.output().shape().elementCount();
                    int[] eng = nodes.get(n.id()).toArray();
                    long[] e = equal.computeIfAbsent(n.id(), k -> new long[2]);
                    for (int j = 0; j < size; j++) {
                        e[0] += eng[j] == (int) Math.round(a[i * size + j] / n.output().scales().get(0)) ? 1 : 0;
                    }
                    e[1] += size;
                }
            }
            Map<String, Double> codes = new LinkedHashMap<>();
            equal.forEach((id, e) -> codes.put(id, (double) e[0] / e[1]));
            System.out.printf(Locale.ROOT, "%s %s: top-1 agreement %.2f %%, identical logits %.2f %%, max |logit diff|"
                    + " %.3g LSB, least equal codes %s%n", trained.meta().config().model(),
                    trained.meta().config().quant(), 100.0 * agree / IMAGES, 100.0 * identical / (IMAGES * classes),
                    maxDiff, codes.entrySet().stream().min(Map.Entry.comparingByValue()).orElse(null));
            return new Agreement(model, (double) agree / IMAGES, (double) identical / (IMAGES * classes), maxDiff,
                    codes);
        }
    }

    /** DJL inference outputs of every top-level block (a residual block's is its add), named as export names them. */
    private static Map<String, float[]> djlOutputs(SequentialBlock net, NDManager m, InputEncoding input) {
        Map<String, float[]> outs = new LinkedHashMap<>();
        ParameterStore ps = new ParameterStore(m, false);
        try (NDManager sm = m.newSubManager()) {
            float[] x0 = new float[IMAGES * LabeledImages.IMAGE_BYTES];
            for (int i = 0; i < x0.length; i++) {
                int c = i % LabeledImages.IMAGE_BYTES / LabeledImages.PLANE_BYTES;
                x0[i] = input.value(c, test.pixels()[i] & 0xFF);
            }
            NDArray x = sm.create(x0, new Shape(IMAGES, 3, 32, 32));
            for (Block b : net.getChildren().values()) {
                x = forward(b, x, ps, outs);
            }
        }
        return outs;
    }

    private static NDArray forward(Block b, NDArray x, ParameterStore ps, Map<String, float[]> outs) {
        if (b instanceof SequentialBlock s) { // a stride-2 inverted residual block: no shortcut
            for (Block child : s.getChildren().values()) {
                x = forward(child, x, ps, outs);
            }
            return x;
        }
        NDArray y = b.forward(ps, new NDList(x), false).singletonOrThrow();
        String id = b instanceof ConvUnit c ? c.spec().name() : b instanceof Pool2d p ? p.name()
                : b instanceof LinearUnit l ? l.name() : ((ResidualBlock) b).name();
        outs.put(id, y.toFloatArray());
        return y;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
