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
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
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
import io.lowbit.train.data.InputCodes;
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
import io.lowbit.train.quant.ScaledFixedPointWeights;
import io.lowbit.train.quant.WeightExponent;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantScheme;
import io.lowbit.train.quant.clipq.ClipQResult;
import io.lowbit.train.quant.clipq.ClipQWeightQuantizer;
import io.lowbit.train.quant.clipq.ClipQuantizer;
import io.lowbit.train.quant.learned.Grid;
import io.lowbit.train.quant.learned.GridQuantizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Exports a trained fake-quantized model to an {@link IntegerModel} ({@code docs/integer-semantics.md},
 * {@code docs/export.md}).
 *
 * <p>Supported: models of conv units, pools, a final linear layer and residual blocks (nin, nin-lin, vgg7, resnet20,
 * mobilenetv2) whose conv/linear layers are all quantized, by {@code fixed},
 * {@code clipq} or a learned-grid method ({@code lsq}, {@code lsfq}, {@code pact}, {@code dorefa}; mixed per layer
 * too), max/avg pools, a global average pool or a linear layer as the output. Every activation tensor is a
 * {@link CodeGrid}: code type, clamp range, step (2^−f for fixed point) and training's rounding. Everything is
 * recomputed on the host in float32 in the training graph's operation order ({@link HostFloat}): BN fold, weight
 * codes (CLIP-Q re-run on the same folded weights gives the same codebook and indexes, including the per-layer
 * power-of-two exponent {@code k}: the weight grid is then {@code 2^−(f+k)}; grid quantizers' codes come from their
 * own forward pass, {@link GridWeights}), the input quantization (a host table over raw uint8 pixels, §3; for the
 * learned methods the {@link InputCodes} their training was fed, or, for checkpoints trained on the float input,
 * the same table, which then rounds that input). The BN fold runs on the DJL engine
 * ({@link HostFloat#foldBn(ConvUnit)}), as PyTorch's float sqrt is not correctly rounded; pact and dorefa with
 * {@code bn=after} (and runs from before {@code bn=fold}) keep BN after the conv in training, and export folds it
 * into the per-channel weight scale. Conv outputs are requantized
 * with {@code M[o] = S_in·S_w[o]/S_out}: by a shift (§9) when that is one power of two (fixed point, CLIP-Q;
 * training's truncation of non-negative values is FLOOR), else by per-channel Q31 multipliers (§8) with training's
 * rounding. The final global average pool emits the exact window sum ({@code M = 1}, int16), its scale
 * {@code S_in/(H·W)} makes the real value the training logit; a final linear layer emits its int32 accumulator
 * (§15).
 *
 * <p>Biases: export rounds the (folded) bias half up onto the accumulator grid {@code S_in·S_w[o]}. For fixed point
 * and CLIP-Q training does the same in its forward pass ({@code quant.AccumulatorGridBias}), so the integer model
 * reproduces the trained model bit for bit; the learned methods on the folded graph round it onto their float grid
 * too ({@code LearnedGridBias}), pact and dorefa with {@code bn=after} add it in float, and the float scales make
 * {@code M[o]} inexact, so the learned methods' integer model is not bit-exact (measured agreement and its causes: {@code docs/export.md},
 * {@code docs/results.md}). {@link LayerReport} shows how far the biases lay from the grid. Anything unsupported
 * throws {@link ExportException} naming the layer and the reason.
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
            throw new ExportException("(model)", "float model: train with a --quant spec");
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

    /** The export order: conv units, pools and linear layers in sequence; a residual block stays one item. */
    private static void flatten(Block b, List<Block> out) {
        if (b instanceof ResidualBlock r) {
            out.add(r);
        } else if (b instanceof SequentialBlock s) {
            for (Block child : s.getChildren().values()) {
                flatten(child, out);
            }
        } else if (b instanceof ConvUnit || b instanceof LinearUnit || b instanceof Pool2d) {
            out.add(b);
        } else {
            throw new ExportException(b.getClass().getSimpleName(), "unsupported block (only ConvUnit, Pool2d,"
                    + " LinearUnit and ResidualBlock)");
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

    /** Quantized weights of one layer: codes, the real step of each output channel, distinct codes, a label. */
    private record Weights(WeightCodes codes, double[] steps, int distinct, String label) {
    }

    private static final class Walker {
        private final QuantPlan plan;
        private final Normalization norm;
        private final IntegerModelBuilder builder;
        private final List<LayerReport> reports = new ArrayList<>();
        private String prev;
        private CodeGrid grid;             // codes of the tensor `prev`
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
                } else if (b instanceof ResidualBlock r) {
                    residual(r, i == 0, last);
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

        /**
         * {@code y = [ReLU](main(x) + shortcut(x))} as the training graph computes it: the main branch's nodes,
         * the shortcut (the block input itself, its channel-padded subsample — pure copying, same grid — or a
         * projection conv with its own output grid), then one add (§13) of the two grids onto the output grid.
         */
        private void residual(ResidualBlock r, boolean first, boolean last) {
            String name = r.name();
            if (first) {
                throw new ExportException(name, "the network must start with a conv layer");
            }
            if (last) {
                throw new ExportException(name, "a residual block as the network output: its output is not quantized");
            }
            String in = prev;
            CodeGrid inGrid = grid;
            boolean inNonNegative = nonNegative;
            List<Block> main = new ArrayList<>();
            flatten(r.main(), main);
            for (Block b : main) {
                if (b instanceof ConvUnit c) {
                    conv(c, false, false);
                } else if (b instanceof Pool2d p) {
                    pool(p, false);
                } else {
                    throw new ExportException(name, "its main branch holds " + describeBlock(b)
                            + ": only conv units and pools are supported there");
                }
            }
            String a = prev;
            CodeGrid aGrid = grid;
            String b;
            CodeGrid bGrid;
            switch (r.shortcut()) {
                case IDENTITY -> {
                    b = in;
                    bGrid = inGrid;
                }
                case ZERO_PAD -> {
                    b = name + ".shortcut";
                    int outC = builder.info(a).shape().channels();
                    builder.node(b, new ChannelPadSubsample(r.stride(), outC), in);
                    reports.add(new LayerReport(b, "channel pad + subsample /" + r.stride(), 0, 0, ""));
                    bGrid = inGrid;
                }
                case PROJECTION -> {
                    prev = in;
                    grid = inGrid;
                    nonNegative = inNonNegative;
                    conv(r.projection(), false, false);
                    b = prev;
                    bGrid = grid;
                }
                default -> throw new AssertionError(r.shortcut());
            }
            Block ot = slot(r, "outputTransform");
            CodeGrid out = CodeGrid.of(ot, name);
            if (out == null) {
                throw new ExportException(name, "the residual sum is not quantized by a fixed-point or grid quantizer");
            }
            List<String> notes = new ArrayList<>();
            Rounding rounding = integerRounding(out.rounding(), r.reluAfterAdd(), name, notes);
            ResidualAdd add;
            try {
                add = ResidualAdd.fromScales(aGrid.step(), aGrid.quantizedType(), bGrid.step(), bGrid.quantizedType(),
                        out.step(), out.clamp(r.reluAfterAdd()), rounding);
            } catch (IllegalArgumentException e) {
                throw new ExportException(name, e.getMessage());
            }
            builder.node(name, new Add(add), out.step(), a, b);
            reports.add(new LayerReport(name, "add " + aGrid + " + " + bGrid + (r.reluAfterAdd() ? ", ReLU" : "")
                    + " → " + out, 0, 0, String.join("; ", notes)));
            prev = name;
            grid = out;
            nonNegative = r.reluAfterAdd();
        }

        private static String describeBlock(Block b) {
            return b instanceof ResidualBlock r ? "the residual block " + r.name()
                    : b instanceof LinearUnit l ? "the linear layer " + l.name() : b.getClass().getSimpleName();
        }

        private void requireQuantized(String layer) {
            QuantScheme s = plan.schemes().get(layer);
            if (s == null || s.isFloat()) {
                throw new ExportException(layer, "float layer: every conv/linear layer must be quantized");
            }
        }

        private void input(ConvUnit first) {
            String name = first.spec().name();
            int channels = first.spec().inChannels();
            Block t = slot(first, "inputTransform");
            CodeGrid g;
            int[] table;
            String note;
            if (t instanceof FixedPointQuantizer q) {
                FixedPointFormat f = q.format();
                g = CodeGrid.of(f, q.rounding());
                table = HostFloat.inputTable(norm, channels, f, q.rounding());
                note = "code = " + q.rounding() + "(clip(normalized)·2^" + f.fractionBits() + ")";
            } else if (t == null && slot(first, "weightTransform") instanceof GridQuantizer) {
                // the table training was fed (code·step), else the same table for a model trained on the float
                // input (before TrainConfig.inputBits): then it rounds that input by up to half a step
                InputCodes codes = plan.inputCodes();
                note = codes != null ? "trained on these codes·step: exact"
                        : "trained on the float input: code = round(normalized/step), |error| ≤ step/2";
                if (codes == null) {
                    codes = InputCodes.of(norm, InputCodes.DEFAULT_BITS);
                }
                if (channels != LabeledImages.CHANNELS) {
                    throw new ExportException(name, channels + " input channels, the input table has "
                            + LabeledImages.CHANNELS);
                }
                g = CodeGrid.of(new Grid(codes.bits(), true), codes.step(), Rounding.ROUND_HALF_UP);
                table = codes.table();
            } else {
                throw new ExportException(name, "the network input is not quantized by a fixed-point quantizer ("
                        + (t == null ? "none" : t) + ")");
            }
            Input in = Input.hostQuantized(Shape.chw(channels, LabeledImages.SIDE, LabeledImages.SIDE),
                    g.quantizedType(), IntTensor.of(Shape.of(channels, Input.PIXEL_VALUES), table));
            builder.input("input", in, g.step());
            reports.add(new LayerReport("input", "input " + g + " host table", 0, 0, note));
            prev = "input";
            grid = g;
            nonNegative = false;
        }

        private void conv(ConvUnit c, boolean first, boolean last) {
            ConvSpec spec = c.spec();
            String name = spec.name();
            requireQuantized(name);
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
            float[] foldedBias = spec.batchNorm() ? null : c.bias().getArray().toFloatArray();
            if (spec.batchNorm() && c.bnMode() == ConvUnit.BnMode.FOLDED) {
                HostFloat.Folded f = HostFloat.foldBn(c);
                w = f.weight();
                foldedBias = f.bias();
            } else if (spec.batchNorm() && plan.foldable().contains(c)) {
                throw new ExportException(name, "BN not folded: train with --fold-bn-from ≤ last epoch");
            }
            int k = spec.kernel();
            Shape wShape = Shape.of(spec.outChannels(), spec.inChannels() / spec.groups(), k, k);
            Weights q = weights(name, slot(c, "weightTransform"), w, c.weight().getArray().getShape(), wShape);
            double[] bias;
            if (foldedBias == null) {
                // pact, dorefa with bn=after: weights quantized before BN, which stays in the graph; fold it here
                double[] gain = bnGain(c);
                q = scaledBy(name, q, gain);
                bias = bnBias(c, gain);
            } else {
                bias = toDouble(foldedBias);
            }
            double[] accScales = accumulatorScales(grid.step(), q.steps());
            double[] biasErr = {0};
            int[] biasCodes = biasCodes(name, bias, accScales, biasErr);
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
                builder.node(name, op, toList(accScales), prev);
                reports.add(new LayerReport(name, "conv2d → int32 accumulator", q.distinct(), biasErr[0], ""));
            } else {
                CodeGrid out = CodeGrid.of(ot, name);
                if (out == null) {
                    throw new ExportException(name, "output quantizer " + ot + " is neither fixed-point nor a grid");
                }
                List<String> notes = new ArrayList<>();
                Rounding r = integerRounding(out.rounding(), spec.relu(), name, notes);
                OutputStage stage = requantization(name, accScales, out.step(), out.clamp(spec.relu()), r);
                Conv2d op = new Conv2d(window, spec.groups(), q.codes(), IntTensor.vector(biasCodes), stage);
                builder.node(name, op, out.step(), prev);
                reports.add(new LayerReport(name, "conv2d " + q.label() + " " + describe(stage) + " → " + out,
                        q.distinct(), biasErr[0], String.join("; ", notes)));
                grid = out;
                nonNegative = spec.relu();
            }
            prev = name;
        }

        /** {@code γ/√(σ² + ε)} per channel: BN in inference after a conv whose weights were quantized before it. */
        private static double[] bnGain(ConvUnit c) {
            float[] gamma = c.gamma().getArray().toFloatArray();
            float[] var = c.runningVar().getArray().toFloatArray();
            double[] gain = new double[gamma.length];
            for (int o = 0; o < gain.length; o++) {
                gain[o] = gamma[o] / Math.sqrt((double) var[o] + ConvUnit.BN_EPS);
            }
            return gain;
        }

        /** {@code β − μ·gain}: the bias BN adds after the conv. */
        private static double[] bnBias(ConvUnit c, double[] gain) {
            float[] beta = c.beta().getArray().toFloatArray();
            float[] mean = c.runningMean().getArray().toFloatArray();
            double[] bias = new double[gain.length];
            for (int o = 0; o < bias.length; o++) {
                bias[o] = beta[o] - mean[o] * gain[o];
            }
            return bias;
        }

        /**
         * The weights times {@code gain[o]} per output channel, folded into the steps: the grid is symmetric, so a
         * negative gain negates the codes and the step takes {@code |gain|}. A zero gain zeroes the channel's codes
         * and keeps its step (the multiplier must stay positive; the output is then the bias alone).
         */
        private static Weights scaledBy(String layer, Weights q, double[] gain) {
            if (!(q.codes() instanceof IntegerWeights iw)) {
                throw new ExportException(layer, "BN after a codebook-quantized conv: not supported");
            }
            int outC = gain.length;
            int per = iw.codes().size() / outC;
            int[] codes = new int[iw.codes().size()];
            double[] steps = new double[outC];
            for (int o = 0; o < outC; o++) {
                int sign = (int) Math.signum(gain[o]);
                steps[o] = gain[o] == 0 ? q.steps()[o] : q.steps()[o] * Math.abs(gain[o]);
                for (int i = o * per; i < (o + 1) * per; i++) {
                    codes[i] = sign * iw.code(i);
                }
            }
            return new Weights(new IntegerWeights(iw.type(), IntTensor.of(iw.shape(), codes)), steps,
                    q.distinct(), q.label() + "·BN");
        }

        /**
         * Shift requantization (§9) when {@code M = S_in·S_w/S_out} is the same power of two {@code 2^−s},
         * {@code 0 ≤ s ≤ 31}, for every channel — fixed point and CLIP-Q, whose hardware shifts; otherwise one
         * multiplier per output channel (§8).
         */
        private static OutputStage requantization(String layer, double[] accScales, double outStep,
                OutputClamp clamp, Rounding r) {
            double[] m = new double[accScales.length];
            boolean uniform = true;
            for (int o = 0; o < m.length; o++) {
                m[o] = accScales[o] / outStep;
                uniform &= m[o] == m[0];
            }
            int s = -Math.getExponent(m[0]);
            if (uniform && m[0] == Math.scalb(1.0, -s) && s >= 0 && s <= ShiftRequantizer.MAX_RIGHT_SHIFT) {
                return new OutputStage.Shift(new ShiftRequantizer(s, clamp, r));
            }
            try {
                return new OutputStage.Requantize(Requantizer.fromScales(m, clamp, r));
            } catch (IllegalArgumentException e) {
                throw new ExportException(layer, e.getMessage());
            }
        }

        private static String describe(OutputStage stage) {
            if (stage instanceof OutputStage.Shift s) {
                return ">>" + s.shift().rightShift() + " " + s.shift().rounding();
            }
            return "×M[o] " + ((OutputStage.Requantize) stage).requantizer().rounding();
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
            double sIn = grid.step();
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
                        "logit = sum·step(" + grid + ")/" + count));
                prev = name;
                return;
            }
            CodeGrid out = CodeGrid.of(ot, name);
            if (out == null) {
                throw new ExportException(name, "average pool output is not quantized by a fixed-point or grid"
                        + " quantizer");
            }
            List<String> notes = new ArrayList<>();
            Rounding r = integerRounding(out.rounding(), nonNegative, name, notes);
            double m = sIn / (count * out.step());
            if (m != Math.scalb(1.0, Math.getExponent(m))) {
                notes.add("M = S_in/(" + count + "·S_out) is not a power of two: float division and the Q31"
                        + " multiplier may differ at rounding boundaries");
            }
            AveragePool pool = AveragePool.fromScales(count, sIn, inType, out.step(), out.clamp(false), r);
            builder.node(name, new AvgPool(window, pool), out.step(), prev);
            reports.add(new LayerReport(name, "avg_pool 1/" + count + " " + r + " → " + out, 0, 0,
                    String.join("; ", notes)));
            grid = out;
            prev = name;
        }

        private void linear(LinearUnit l, boolean last) {
            String name = l.name();
            requireQuantized(name);
            if (!last) {
                throw new ExportException(name, "a linear layer that is not the network output: its output is not"
                        + " quantized in training");
            }
            if (slot(l, "inputTransform") != null) {
                throw new ExportException(name, "an input quantizer on a linear layer");
            }
            float[] w = l.weight().getArray().toFloatArray();
            Weights q = weights(name, slot(l, "weightTransform"), w, l.weight().getArray().getShape(),
                    Shape.of(l.outFeatures(), l.inFeatures()));
            double[] accScales = accumulatorScales(grid.step(), q.steps());
            double[] biasErr = {0};
            int[] biasCodes = biasCodes(name, toDouble(l.bias().getArray().toFloatArray()), accScales, biasErr);
            Linear op = new Linear(q.codes(), IntTensor.vector(biasCodes), new OutputStage.Accumulator());
            builder.node(name, op, toList(accScales), prev);
            reports.add(new LayerReport(name, "linear → int32 accumulator", q.distinct(), biasErr[0], ""));
            prev = name;
        }

        /** {@code S_in·S_w[o]}: the real value of one accumulator unit per output channel. */
        private static double[] accumulatorScales(double inStep, double[] weightSteps) {
            double[] s = new double[weightSteps.length];
            for (int o = 0; o < s.length; o++) {
                s[o] = inStep * weightSteps[o];
            }
            return s;
        }

        private static List<Double> toList(double[] v) {
            List<Double> l = new ArrayList<>();
            for (double x : v) {
                l.add(x);
            }
            return l;
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }

        /**
         * The bias rounded half up to the accumulator grid {@code S_in·S_w[o]} (exact for the power-of-two scales of
         * fixed point and CLIP-Q, where training rounds it the same way); the largest error (LSBs) in err[0].
         */
        private static int[] biasCodes(String layer, double[] bias, double[] accScales, double[] err) {
            int[] codes = new int[bias.length];
            for (int o = 0; o < bias.length; o++) {
                double v = bias[o] / accScales[o];
                double r = Math.floor(v + 0.5);
                if (!(Math.abs(r) <= Integer.MAX_VALUE)) {
                    throw new ExportException(layer, "bias " + bias[o] + " does not fit int32 at scale "
                            + accScales[o]);
                }
                codes[o] = (int) r;
                err[0] = Math.max(err[0], Math.abs(r - v));
            }
            return codes;
        }

        private static double[] uniform(int n, double step) {
            double[] s = new double[n];
            java.util.Arrays.fill(s, step);
            return s;
        }

        private static Weights weights(String layer, Block transform, float[] w, ai.djl.ndarray.types.Shape djlShape,
                Shape shape) {
            int outC = shape.dim(0);
            if (transform instanceof FixedPointQuantizer fq) {
                FixedPointFormat f = fq.format();
                int[] codes = new int[w.length];
                for (int i = 0; i < w.length; i++) {
                    codes[i] = HostFloat.code(w[i], f, fq.rounding());
                }
                return new Weights(new IntegerWeights(IntType.signed(f.totalBits()), IntTensor.of(shape, codes)),
                        uniform(outC, f.step()), distinct(codes), "w·2^-" + f.fractionBits());
            }
            if (transform instanceof ScaledFixedPointWeights sq) {
                // as ScaledFixedPointWeights.forward: codes of w'·2^k (k per layer, exact power of two)
                FixedPointFormat f = sq.format();
                int k = sq.exponent() == WeightExponent.AUTO ? WeightExponent.auto(w, f) : sq.exponent();
                float up = (float) Math.scalb(1.0, k);
                int[] codes = new int[w.length];
                for (int i = 0; i < w.length; i++) {
                    codes[i] = HostFloat.code(w[i] * up, f, sq.rounding());
                }
                return new Weights(new IntegerWeights(IntType.signed(f.totalBits()), IntTensor.of(shape, codes)),
                        uniform(outC, Math.scalb(1.0, -f.fractionBits() - k)), distinct(codes),
                        "w·2^-" + (f.fractionBits() + k));
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
                int[] values = new int[w.length];
                for (int i = 0; i < w.length; i++) {
                    indexes[i] = r.index(i);
                    values[i] = levelCodes[indexes[i]];
                }
                int bits = f.fractionBits() + k;
                return new Weights(new CodebookWeights(IntType.signed(f.totalBits()), levels,
                        IntTensor.of(shape, indexes)), uniform(outC, Math.scalb(1.0, -bits)), distinct(values),
                        "w·2^-" + bits);
            }
            if (transform instanceof GridQuantizer gq) {
                GridWeights.Codes c = GridWeights.of(layer, transform, w, djlShape);
                boolean perChannel = gq.steps().length > 1;
                return new Weights(new IntegerWeights(gq.grid().type(), IntTensor.of(shape, c.codes())), c.steps(),
                        distinct(c.codes()), gq.grid().type() + (perChannel ? "/channel" : ""));
            }
            throw new ExportException(layer, transform == null ? "weights are not quantized"
                    : "weight quantizer " + transform + " is not fixed-point, CLIP-Q or a grid quantizer");
        }

        private static int distinct(int[] codes) {
            Set<Integer> d = new HashSet<>();
            for (int c : codes) {
                d.add(c);
            }
            return d.size();
        }
    }
}
