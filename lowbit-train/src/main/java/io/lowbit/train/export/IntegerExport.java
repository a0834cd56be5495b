package io.lowbit.train.export;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.ModelMetadata;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightCodes;
import io.lowbit.core.model.Window;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.nn.ConvSpec;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.Pool2d;
import io.lowbit.train.nn.ResidualBlock;
import io.lowbit.train.quant.FixedPointQuantizer;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantScheme;
import io.lowbit.train.quant.clipq.ClipQResult;
import io.lowbit.train.quant.clipq.ClipQWeightQuantizer;
import io.lowbit.train.quant.clipq.ClipQuantizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Exports a trained fake-quantized model to an {@link IntegerModel} ({@code docs/integer-semantics.md}).
 *
 * <p>Supported: sequential models (nin, nin-lin, vgg7) whose conv/linear layers all use {@code fixed} or
 * {@code clipq} with fixed-point (power-of-two) activation formats, BN in FOLDED mode, max/avg pools, a global
 * average pool or a linear layer as the output. Everything is recomputed on the host in float32 in the training
 * graph's operation order ({@link HostFloat}): BN fold, weight codes (CLIP-Q re-run on the same folded weights gives
 * the same codebook and indexes, including the per-layer power-of-two exponent {@code k}: the weight grid is then
 * {@code 2^−(f+k)} and the shift grows by k), the input quantization (a host table over raw uint8 pixels, §3).
 * The BN fold runs on the DJL engine ({@link HostFloat#foldBn(ConvUnit)}), as PyTorch's float sqrt is not correctly
 * rounded. Conv outputs are
 * shift-requantized (§9): training's truncation of non-negative (post-ReLU) values is FLOOR. The final global average
 * pool emits the exact window sum ({@code M = 1}, int16), its scale {@code S_in/(H·W)} makes the real value the
 * training logit; a final linear layer emits its int32 accumulator (§15).
 *
 * <p>Biases: export rounds the folded bias {@code b'} half up onto the accumulator grid {@code 2^−(fa+fw)}, exactly
 * as training does in its forward pass ({@code quant.AccumulatorGridBias}), so the integer model reproduces the
 * trained model bit for bit; {@link LayerReport} shows how far the float {@code b'} lay from the grid. Anything
 * unsupported throws {@link ExportException} naming the layer and the reason.
 */
public final class IntegerExport {

    private IntegerExport() {
    }

    /** What export did to one node: weight kind, distinct weight codes, bias rounding error, remarks. */
    public record LayerReport(String layer, String op, int distinctWeights, double maxBiasErrorLsb, String note) {
    }

    /** The integer model and the per-node report. */
    public record Result(IntegerModel model, List<LayerReport> layers) {

        /** One line per node. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            for (LayerReport r : layers) {
                sb.append(String.format(Locale.ROOT, "%-8s %-28s", r.layer(), r.op()));
                if (r.distinctWeights() > 0) {
                    sb.append(String.format(Locale.ROOT, " distinct weights %4d, max bias rounding %.3f LSB",
                            r.distinctWeights(), r.maxBiasErrorLsb()));
                }
                if (!r.note().isEmpty()) {
                    sb.append("  [").append(r.note()).append(']');
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /** The integer model of {@code trained}; see {@link #exportWithReport}. */
    public static IntegerModel export(TrainedModel trained) {
        return exportWithReport(trained).model();
    }

    /**
     * The integer model of {@code trained} and what export did per layer.
     *
     * @throws ExportException if a layer cannot be exported (method, topology, BN mode, formats)
     */
    public static Result exportWithReport(TrainedModel trained) {
        TrainConfig cfg = trained.meta().config();
        if (trained.plan() == null) {
            throw new ExportException("(model)", "float model: train with a fixed or clipq --quant spec");
        }
        Normalization norm = Normalization.forDataset(DatasetName.parse(cfg.dataset()));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("epochs", Integer.toString(trained.meta().epochsDone()));
        provenance.put("best_test_accuracy", Double.toString(trained.meta().bestTestAccuracy()));
        provenance.put("quant", cfg.quant());
        String name = (cfg.model() + "-w" + cfg.width() + "-" + cfg.quant()).replaceAll("[^A-Za-z0-9_.=-]", "_");
        ModelMetadata metadata = new ModelMetadata(name, "trained " + cfg.model() + " width " + cfg.width() + " on "
                + cfg.dataset() + ", quant spec " + cfg.quant(), provenance, List.of());
        List<Block> blocks = new ArrayList<>();
        flatten(trained.net(), blocks);
        return new Walker(trained.plan(), norm, IntegerModel.builder(metadata)).run(blocks);
    }

    private static void flatten(Block b, List<Block> out) {
        if (b instanceof ResidualBlock r) {
            throw new ExportException(r.name(), "residual blocks: not yet");
        } else if (b instanceof SequentialBlock s) {
            for (Block child : s.getChildren().values()) {
                flatten(child, out);
            }
        } else if (b instanceof ConvUnit || b instanceof LinearUnit || b instanceof Pool2d) {
            out.add(b);
        } else {
            throw new ExportException(b.getClass().getSimpleName(), "unsupported block (only ConvUnit, Pool2d,"
                    + " LinearUnit in sequence)");
        }
    }

    /** The child block installed in slot {@code slot} ("inputTransform", …), or null. */
    static Block slot(Block b, String slot) {
        for (Pair<String, Block> p : b.getChildren()) {
            if (p.getKey().endsWith(slot)) {
                return p.getValue();
            }
        }
        return null;
    }

    /** Quantized weights of one layer. */
    private record Weights(WeightCodes codes, int fractionBits, int distinct) {
    }

    private static final class Walker {
        private final QuantPlan plan;
        private final Normalization norm;
        private final IntegerModelBuilder builder;
        private final List<LayerReport> reports = new ArrayList<>();
        private String prev;
        private FixedPointFormat fmt;      // format of the tensor `prev`
        private boolean nonNegative;       // `prev` is known to be ≥ 0 (after a ReLU)

        Walker(QuantPlan plan, Normalization norm, IntegerModelBuilder builder) {
            this.plan = plan;
            this.norm = norm;
            this.builder = builder;
        }

        Result run(List<Block> blocks) {
            for (int i = 0; i < blocks.size(); i++) {
                boolean last = i == blocks.size() - 1;
                Block b = blocks.get(i);
                if (b instanceof ConvUnit c) {
                    conv(c, i == 0, last);
                } else if (b instanceof Pool2d p) {
                    if (i == 0) {
                        throw new ExportException(p.name(), "the network must start with a conv layer");
                    }
                    pool(p, last);
                } else {
                    LinearUnit l = (LinearUnit) b;
                    if (i == 0) {
                        throw new ExportException(l.name(), "the network must start with a conv layer");
                    }
                    linear(l, last);
                }
            }
            return new Result(builder.build(), List.copyOf(reports));
        }

        private void requireMethod(String layer) {
            QuantScheme s = plan.schemes().get(layer);
            if (s == null || s.isFloat()) {
                throw new ExportException(layer, "float layer: every conv/linear layer must be quantized (fixed or"
                        + " clipq)");
            }
            if (!s.method().equals("fixed") && !s.method().equals("clipq")) {
                throw new ExportException(layer, "method " + s.method() + ": export lands later");
            }
        }

        private void input(ConvUnit first) {
            String name = first.spec().name();
            Block t = slot(first, "inputTransform");
            if (!(t instanceof FixedPointQuantizer q)) {
                throw new ExportException(name, "the network input is not quantized by a fixed-point quantizer ("
                        + (t == null ? "none" : t) + ")");
            }
            FixedPointFormat f = q.format();
            int channels = first.spec().inChannels();
            int[] table = HostFloat.inputTable(norm, channels, f, q.rounding());
            QuantizedType type = new QuantizedType(IntType.signed(f.totalBits()), 0);
            Input in = Input.hostQuantized(Shape.chw(channels, LabeledImages.SIDE, LabeledImages.SIDE), type,
                    IntTensor.of(Shape.of(channels, Input.PIXEL_VALUES), table));
            builder.input("input", in, f.step());
            reports.add(new LayerReport("input", "input " + f + " host table", 0, 0,
                    "code = " + q.rounding() + "(clip(normalized)·2^" + f.fractionBits() + ")"));
            prev = "input";
            fmt = f;
            nonNegative = false;
        }

        private void conv(ConvUnit c, boolean first, boolean last) {
            ConvSpec spec = c.spec();
            String name = spec.name();
            requireMethod(name);
            if (first) {
                input(c);
            } else if (slot(c, "inputTransform") != null) {
                throw new ExportException(name, "an input quantizer on a layer other than the first");
            }
            if (spec.groups() != 1 && !spec.depthwise()) {
                // grouped convs are expressible; nothing in the supported models uses them, so keep it simple
                throw new ExportException(name, "grouped convolution: not yet");
            }
            float[] w = c.weight().getArray().toFloatArray();
            float[] bias;
            if (spec.batchNorm()) {
                if (c.bnMode() != ConvUnit.BnMode.FOLDED) {
                    throw new ExportException(name, "BN not folded: train with --fold-bn-from ≤ last epoch");
                }
                HostFloat.Folded f = HostFloat.foldBn(c);
                w = f.weight();
                bias = f.bias();
            } else {
                bias = c.bias().getArray().toFloatArray();
            }
            int k = spec.kernel();
            Shape wShape = Shape.of(spec.outChannels(), spec.inChannels() / spec.groups(), k, k);
            Weights q = weights(name, slot(c, "weightTransform"), w, wShape);
            int accBits = fmt.fractionBits() + q.fractionBits();
            List<String> notes = new ArrayList<>();
            double[] biasErr = {0};
            int[] biasCodes = biasCodes(name, bias, accBits, biasErr);
            Window window = Window.square(k, spec.stride(), spec.padding());
            Block ot = slot(c, "outputTransform");
            if (ot == null) {
                if (!last) {
                    throw new ExportException(name, "its output is not quantized but feeds another layer");
                }
                if (spec.relu()) {
                    throw new ExportException(name, "ReLU on the unquantized network output: an int32 accumulator"
                            + " output cannot apply it");
                }
                Conv2d op = new Conv2d(window, spec.groups(), q.codes(), IntTensor.vector(biasCodes),
                        new OutputStage.Accumulator());
                builder.node(name, op, perChannel(spec.outChannels(), Math.scalb(1.0, -accBits)), prev);
                reports.add(new LayerReport(name, "conv2d → int32 accumulator", q.distinct(), biasErr[0], ""));
            } else {
                if (!(ot instanceof FixedPointQuantizer oq)) {
                    throw new ExportException(name, "output quantizer " + ot + " is not fixed-point");
                }
                FixedPointFormat fo = oq.format();
                int s = accBits - fo.fractionBits();
                if (s < 0) {
                    throw new ExportException(name, fo + " has more fraction bits than the " + fmt + " × 2^-"
                            + q.fractionBits() + " weights accumulator: shift requantization only shifts right");
                }
                Rounding r = integerRounding(oq.rounding(), spec.relu(), name, notes);
                OutputClamp clamp = OutputClamp.saturating(IntType.signed(fo.totalBits()), 0);
                ShiftRequantizer shift = new ShiftRequantizer(s, spec.relu() ? clamp.relu() : clamp, r);
                Conv2d op = new Conv2d(window, spec.groups(), q.codes(), IntTensor.vector(biasCodes),
                        new OutputStage.Shift(shift));
                builder.node(name, op, fo.step(), prev);
                reports.add(new LayerReport(name, "conv2d w·2^-" + q.fractionBits() + " >>" + s + " " + r + " → " + fo, q.distinct(), biasErr[0],
                        String.join("; ", notes)));
                fmt = fo;
                nonNegative = spec.relu();
            }
            prev = name;
        }

        /** The engine rounding that reproduces training's rounding of the (float) requantized value. */
        private static Rounding integerRounding(Rounding training, boolean nonNegative, String layer,
                List<String> notes) {
            if (training == Rounding.TRUNCATE_TOWARD_ZERO) {
                if (!nonNegative) {
                    notes.add("truncation toward zero of signed values is not a shift: exported as FLOOR (differs on"
                            + " negative non-integers)");
                }
                return Rounding.FLOOR;
            }
            return training;
        }

        private void pool(Pool2d p, boolean last) {
            String name = p.name();
            TensorInfo in = builder.info(prev);
            int h = in.shape().height();
            int w = in.shape().width();
            if (p.kind() == Pool2d.Kind.MAX) {
                if (p.global()) {
                    throw new ExportException(name, "global max pool: not supported");
                }
                builder.node(name, new MaxPool(Window.square(p.kernel(), p.stride(), p.padding())), prev);
                reports.add(new LayerReport(name, "max_pool", 0, 0, ""));
                prev = name;
                return;
            }
            Window window = p.global() ? Window.global(h, w) : Window.square(p.kernel(), p.stride(), p.padding());
            int count = window.kernelArea();
            QuantizedType inType = in.quantizedType();
            double sIn = fmt.step();
            Block ot = slot(p, "outputTransform");
            if (last && p.global()) {
                if (ot != null) {
                    throw new ExportException(name, "a quantizer on the final global average pool");
                }
                long maxSum = count * inType.maxAbsCentred();
                if (maxSum > IntType.INT16.max()) {
                    throw new ExportException(name, "the exact window sum (up to " + maxSum + ") does not fit int16");
                }
                // M = 1: the output is the exact sum; its real value sum·S_in/(H·W) is the training logit.
                AveragePool sum = new AveragePool(count, inType,
                        new FixedPointMultiplier(FixedPointMultiplier.MIN_MULTIPLIER_Q31, -1),
                        OutputClamp.saturating(IntType.INT16, 0), Rounding.FLOOR);
                builder.node(name, new AvgPool(window, sum), sIn / count, prev);
                reports.add(new LayerReport(name, "global sum (M = 1) → int16", 0, 0,
                        "logit = sum·2^-" + fmt.fractionBits() + "/" + count));
                prev = name;
                return;
            }
            if (!(ot instanceof FixedPointQuantizer oq)) {
                throw new ExportException(name, "average pool output is not quantized by a fixed-point quantizer");
            }
            FixedPointFormat fo = oq.format();
            List<String> notes = new ArrayList<>();
            Rounding r = integerRounding(oq.rounding(), nonNegative, name, notes);
            if (Integer.bitCount(count) != 1) {
                notes.add("divisor " + count + " is not a power of two: float division and the Q31 multiplier may"
                        + " differ at rounding boundaries");
            }
            AveragePool pool = AveragePool.fromScales(count, sIn, inType, fo.step(),
                    OutputClamp.saturating(IntType.signed(fo.totalBits()), 0), r);
            builder.node(name, new AvgPool(window, pool), fo.step(), prev);
            reports.add(new LayerReport(name, "avg_pool 1/" + count + " " + r + " → " + fo, 0, 0,
                    String.join("; ", notes)));
            fmt = fo;
            prev = name;
        }

        private void linear(LinearUnit l, boolean last) {
            String name = l.name();
            requireMethod(name);
            if (!last) {
                throw new ExportException(name, "a linear layer that is not the network output: its output is not"
                        + " quantized in training");
            }
            if (slot(l, "inputTransform") != null) {
                throw new ExportException(name, "an input quantizer on a linear layer");
            }
            float[] w = l.weight().getArray().toFloatArray();
            Weights q = weights(name, slot(l, "weightTransform"), w, Shape.of(l.outFeatures(), l.inFeatures()));
            int accBits = fmt.fractionBits() + q.fractionBits();
            double[] biasErr = {0};
            int[] biasCodes = biasCodes(name, l.bias().getArray().toFloatArray(), accBits, biasErr);
            Linear op = new Linear(q.codes(), IntTensor.vector(biasCodes), new OutputStage.Accumulator());
            builder.node(name, op, perChannel(l.outFeatures(), Math.scalb(1.0, -accBits)), prev);
            reports.add(new LayerReport(name, "linear → int32 accumulator", q.distinct(), biasErr[0], ""));
            prev = name;
        }

        private static List<Double> perChannel(int n, double scale) {
            List<Double> s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                s.add(scale);
            }
            return s;
        }

        /** The float bias rounded half up to the accumulator grid 2^−accBits; the largest error (LSBs) in err[0]. */
        private static int[] biasCodes(String layer, float[] bias, int accBits, double[] err) {
            int[] codes = new int[bias.length];
            for (int o = 0; o < bias.length; o++) {
                double v = Math.scalb((double) bias[o], accBits); // exact
                double r = Math.floor(v + 0.5);
                if (!(Math.abs(r) <= Integer.MAX_VALUE)) {
                    throw new ExportException(layer, "bias " + bias[o] + " does not fit int32 at 2^-" + accBits);
                }
                codes[o] = (int) r;
                err[0] = Math.max(err[0], Math.abs(r - v));
            }
            return codes;
        }

        private static Weights weights(String layer, Block transform, float[] w, Shape shape) {
            if (transform instanceof FixedPointQuantizer fq) {
                FixedPointFormat f = fq.format();
                int[] codes = new int[w.length];
                Set<Integer> distinct = new HashSet<>();
                for (int i = 0; i < w.length; i++) {
                    codes[i] = HostFloat.code(w[i], f, fq.rounding());
                    distinct.add(codes[i]);
                }
                return new Weights(new IntegerWeights(IntType.signed(f.totalBits()), IntTensor.of(shape, codes)),
                        f.fractionBits(),
                        distinct.size());
            }
            if (transform instanceof ClipQWeightQuantizer cq) {
                FixedPointFormat f = cq.config().levelFormat();
                if (f == null) {
                    throw new ExportException(layer, "clipq with fmt=none has float levels: not exportable");
                }
                // as ClipQWeightQuantizer.forward: levels are codes of w'·2^k (k per layer, exact power of two)
                int k = cq.weightExponent() == ClipQWeightQuantizer.AUTO_EXPONENT
                        ? ClipQWeightQuantizer.autoExponent(w, cq.config()) : cq.weightExponent();
                float up = (float) Math.scalb(1.0, k);
                float[] scaled = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    scaled[i] = w[i] * up;
                }
                ClipQResult r = new ClipQuantizer(cq.config()).quantize(scaled);
                int[] levelCodes = r.levelCodes();
                List<Integer> levels = new ArrayList<>();
                for (int code : levelCodes) {
                    levels.add(code);
                }
                int[] indexes = new int[w.length];
                Set<Integer> distinct = new HashSet<>();
                for (int i = 0; i < w.length; i++) {
                    indexes[i] = r.index(i);
                    distinct.add(levelCodes[indexes[i]]);
                }
                return new Weights(new CodebookWeights(IntType.signed(f.totalBits()), levels,
                        IntTensor.of(shape, indexes)), f.fractionBits() + k, distinct.size());
            }
            throw new ExportException(layer, transform == null ? "weights are not quantized"
                    : "weight quantizer " + transform + " is not fixed-point or CLIP-Q");
        }
    }
}
