/*
 * Finds where a training step's gradients first become non-finite (docs/training.md, "Known problems").
 * Loads a checkpoint, builds the first batch of an epoch exactly as `lowbit train` does (balanced subset, seeded
 * order and crop/flip), and runs one forward/backward step:
 *   1. the gradient of every parameter (non-finite count, max |g|);
 *   2. block by block from the output down: each top-level block is re-run on a detached copy of its input and
 *      back-propagated alone with the (finite) gradient of its output, so the first block whose backward turns a
 *      finite gradient into NaN is named; a float ConvUnit is then split into conv2d → batch norm → ReLU and each
 *      op re-run alone, and the failing op's inputs are saved (NDList file) to replay it.
 * Run through scripts/onednn-grad-check.sh locate CKPT [batch] [perClass] [seed] [epoch] (add ONEDNN_VERBOSE=1 to
 * see the oneDNN kernels).
 */
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.lowbit.train.data.Augmentation;
import io.lowbit.train.data.Batch;
import io.lowbit.train.data.BatchLoader;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.model.Networks;
import io.lowbit.train.nn.ConvSpec;
import io.lowbit.train.nn.ConvUnit;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class NanGradientLocator {

    static String stat(NDArray a) {
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        int bad = 0;
        double max = 0;
        for (float f : v) {
            if (!Float.isFinite(f)) {
                bad++;
            } else {
                max = Math.max(max, Math.abs(f));
            }
        }
        return String.format(Locale.ROOT, "%s non-finite %d of %d, max|finite| %.3g", a.getShape(), bad, v.length, max);
    }

    static boolean finite(NDArray a) {
        return a.isInfinite().logicalOr(a.isNaN()).countNonzero().getLong() == 0;
    }

    public static void main(String[] args) throws Exception {
        Path ckpt = Path.of(args[0]);
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int perClass = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        int epoch = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Path dataRoot = Path.of(System.getenv().getOrDefault("LOWBIT_DATA",
                System.getProperty("user.home") + "/.lowbit/data"));
        System.out.printf("PyTorch %s, OMP_NUM_THREADS=%s, ONEDNN_MAX_CPU_ISA=%s, LD_PRELOAD=%s%n",
                Engine.getInstance().getVersion(), System.getenv("OMP_NUM_THREADS"),
                System.getenv("ONEDNN_MAX_CPU_ISA"), System.getenv("LD_PRELOAD"));
        try (NDManager root = NDManager.newBaseManager()) {
            TrainConfig cfg = io.lowbit.train.loop.Checkpoints.readMeta(ckpt).config();
            DatasetName dn = DatasetName.parse(cfg.dataset());
            CifarDataset data = CifarDataset.load(dn, TrainConfig.parseLabels(cfg.labels()), dataRoot, false);
            TrainedModel model = TrainedModel.load(ckpt, data.numClasses(), root);
            SequentialBlock net = model.net();
            LabeledImages train = perClass > 0 ? data.train().balancedSubset(perClass) : data.train();
            Batch b;
            try (BatchLoader l = BatchLoader.forEpoch(train, batchSize, true, true, Augmentation.STANDARD,
                    model.networkInput(Normalization.forDataset(dn)), seed, epoch)) {
                b = l.next();
            }
            ParameterStore ps = new ParameterStore(root, false);
            Map<String, Parameter> params = Networks.namedParameters(net);
            NDArray x = root.create(FloatBuffer.wrap(b.data()), new Shape(b.size(), 3, 32, 32));
            long[] lab = new long[b.size()];
            for (int i = 0; i < lab.length; i++) {
                lab[i] = b.labels()[i];
            }
            NDArray y = root.create(lab);

            System.out.println("== 1. whole step");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits));
                System.out.println("loss " + loss.getFloat());
                gc.backward(loss);
            }
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                if (p.getValue().requiresGradient()) {
                    System.out.println("  " + p.getKey() + " grad " + stat(p.getValue().getArray().getGradient()));
                }
            }

            System.out.println("== 2. block by block (each block's backward alone, from the output down)");
            List<String> names = new ArrayList<>();
            List<Block> blocks = new ArrayList<>();
            List<NDArray> inputs = new ArrayList<>();
            NDArray cur = x;
            for (var e : net.getChildren()) {
                names.add(e.getKey());
                blocks.add(e.getValue());
                inputs.add(cur);
                // the forward again, without gradients, to get each block's input; running stats are not saved
                cur = e.getValue().forward(ps, new NDList(cur), true).singletonOrThrow().stopGradient();
            }
            NDArray dOut;
            {
                NDArray logits = cur.duplicate();
                logits.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits)));
                }
                dOut = logits.getGradient().duplicate();
            }
            for (int i = blocks.size() - 1; i >= 0; i--) {
                NDArray in = inputs.get(i).duplicate();
                in.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = blocks.get(i).forward(ps, new NDList(in), true).singletonOrThrow();
                    gc.backward(out.mul(dOut).sum());
                }
                NDArray dIn = in.getGradient().duplicate();
                System.out.println("  " + names.get(i) + " " + blocks.get(i) + ": d(input) " + stat(dIn));
                if (!finite(dIn) && finite(dOut)) {
                    System.out.println("  ** first non-finite gradient arises in the backward of " + names.get(i));
                    if (blocks.get(i) instanceof ConvUnit c) {
                        splitConvUnit(c, ps, inputs.get(i), dOut, names.get(i));
                    }
                    return;
                }
                dOut = dIn;
            }
            System.out.println("  every block's backward is finite");
        }
    }

    /** Re-runs conv2d → batch norm (batch statistics) → ReLU of a float ConvUnit one op at a time. */
    static void splitConvUnit(ConvUnit c, ParameterStore ps, NDArray x, NDArray dOut, String name) throws Exception {
        ConvSpec s = c.spec();
        if (!s.batchNorm() || c.bnMode() != ConvUnit.BnMode.BATCH) {
            System.out.println("  (not a float conv+BN unit; not split)");
            return;
        }
        NDManager m = x.getManager();
        NDArray w = c.weight().getArray().duplicate();
        NDArray conv = Conv2d.conv2d(x, w, null, new Shape(s.stride(), s.stride()),
                new Shape(s.padding(), s.padding()), new Shape(1, 1), s.groups()).singletonOrThrow();
        NDArray[] bnArgs = {c.runningMean().getArray().duplicate(), c.runningVar().getArray().duplicate(),
            c.gamma().getArray().duplicate(), c.beta().getArray().duplicate()};
        NDArray bn = BatchNorm.batchNorm(conv, bnArgs[0], bnArgs[1], bnArgs[2], bnArgs[3], 1, 0.9f, ConvUnit.BN_EPS,
                true).singletonOrThrow();
        // ReLU backward
        NDArray bnIn = bn.duplicate();
        bnIn.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(Activation.relu(bnIn).mul(dOut).sum());
        }
        NDArray dBn = bnIn.getGradient().duplicate();
        System.out.println("    relu backward: d(bn out) " + stat(dBn));
        NDArray convIn = conv.duplicate();
        convIn.setRequiresGradient(true);
        NDArray gamma = bnArgs[2].duplicate();
        gamma.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray o = BatchNorm.batchNorm(convIn, bnArgs[0].duplicate(), bnArgs[1].duplicate(), gamma,
                    bnArgs[3], 1, 0.9f, ConvUnit.BN_EPS, true).singletonOrThrow();
            gc.backward(o.mul(dBn).sum());
        }
        NDArray dConv = convIn.getGradient().duplicate();
        System.out.println("    batch-norm backward: d(conv out) " + stat(dConv) + "; d(gamma) "
                + stat(gamma.getGradient()));
        NDArray xIn = x.duplicate();
        xIn.setRequiresGradient(true);
        NDArray wIn = w.duplicate();
        wIn.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray o = Conv2d.conv2d(xIn, wIn, null, new Shape(s.stride(), s.stride()),
                    new Shape(s.padding(), s.padding()), new Shape(1, 1), s.groups()).singletonOrThrow();
            gc.backward(o.mul(dConv).sum());
        }
        System.out.println("    conv2d backward (" + s + "): d(x) " + stat(xIn.getGradient()) + "; d(w) "
                + stat(wIn.getGradient()));
        Path out = Path.of("nan-" + name + ".ndlist");
        NDList saved = new NDList(x, w, conv, dBn, dConv, dOut);
        saved.get(0).setName("x");
        saved.get(1).setName("w");
        saved.get(2).setName("conv_out");
        saved.get(3).setName("d_bn_out");
        saved.get(4).setName("d_conv_out");
        saved.get(5).setName("d_unit_out");
        try (OutputStream os = Files.newOutputStream(out)) {
            saved.encode(os);
        }
        System.out.println("    saved x, w, conv_out, d_bn_out, d_conv_out, d_unit_out to " + out
                + " (NDList.decode)");
    }
}
