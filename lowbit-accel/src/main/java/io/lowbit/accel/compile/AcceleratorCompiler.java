package io.lowbit.accel.compile;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.RequantizerKind;
import io.lowbit.accel.config.WeightDecoder;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightedOp;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compiles a sequential integer model for one {@link AcceleratorConfig} ({@code docs/accelerator.md} §2–§3).
 * Convolutions and linear layers run on the conv unit, max and average pools on the pool unit; a layer the design
 * cannot run (a residual add, a feature map larger than a buffer, weights the decoder cannot hold, an accumulator
 * wider than the datapath) is rejected with an {@link UnsupportedLayerException} naming the limit.
 *
 * <p>Loop order of a conv layer: weight tile → row tile → output-channel group → input-channel group → kernel chunk.
 * The passes of one output-channel group over one row tile run back to back, so its partial sums live in the psum
 * buffer only for that time.
 */
public final class AcceleratorCompiler {

    private final AcceleratorConfig config;

    public AcceleratorCompiler(AcceleratorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Program compile(IntegerModel model) {
        Objects.requireNonNull(model, "model");
        List<Node> nodes = model.nodes();
        Node input = nodes.get(0);
        if (!(input.op() instanceof Input)) {
            throw new UnsupportedLayerException(input.id(), "the first node must be the input");
        }
        requireActivation(input.id(), "input", input.output().type());
        long inputBytes = bufferBytes(input.output());
        List<LayerPlan> layers = new ArrayList<>();
        List<Instruction> program = new ArrayList<>();
        // a DRAM-resident input is fetched by the first layer's row tiles instead
        program.add(new Instruction.LoadInput(inDram(inputBytes, 0) ? 0 : inputBytes));
        int[] weightTile = {0};
        for (int i = 1; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            Node prev = nodes.get(i - 1);
            boolean isOutput = node.id().equals(model.outputId());
            requireSequential(node, prev);
            LayerPlan plan;
            if (node.op() instanceof WeightedOp op) {
                plan = weighted(node, op, prev.output(), isOutput, program, weightTile, i);
            } else if (node.op() instanceof MaxPool || node.op() instanceof AvgPool) {
                plan = pool(node, prev.output(), isOutput, i);
                program.add(new Instruction.PoolPass(node.id()));
            } else {
                throw new UnsupportedLayerException(node.id(), unsupportedOp(node.op().kind()));
            }
            layers.add(plan);
            program.add(new Instruction.SwapBuffers(node.id()));
        }
        LayerPlan last = layers.get(layers.size() - 1);
        program.add(new Instruction.StoreOutput(last.outputInDram() ? 0 : last.outputBytes()));
        return new Program(Program.FORMAT, Program.VERSION, config.name(), model.metadata().name(),
                model.fingerprint(), layers, program);
    }

    private static String unsupportedOp(String kind) {
        return switch (kind) {
            case "add" -> "op add (residual connection) is not supported: the RCA design has no element-wise unit"
                    + " and its ping-pong buffers hold one feature map (a residual needs a second, requantized input"
                    + " stream); run this model on the integer engine";
            case "channel_pad_subsample" -> "op channel_pad_subsample (ResNet option-A shortcut) is not supported:"
                    + " the design has no shortcut path; run this model on the integer engine";
            default -> "op " + kind + " is not supported by the accelerator (conv2d, linear, max_pool, avg_pool are)";
        };
    }

    private static void requireSequential(Node node, Node prev) {
        if (node.inputs().size() != 1 || !node.input().equals(prev.id())) {
            throw new UnsupportedLayerException(node.id(), "takes " + node.inputs() + ", but the accelerator runs a"
                    + " chain of layers, each reading the previous one's output ('" + prev.id() + "')");
        }
    }

    /** Layer {@code index} (from 1) reads feature-map buffer {@code (index − 1) mod 2} and writes the other one. */
    private LayerPlan weighted(Node node, WeightedOp op, TensorInfo in, boolean isOutput, List<Instruction> program,
            int[] weightTile, int index) {
        String id = node.id();
        boolean linear = op instanceof Linear;
        Shape inShape = in.shape().isFeatureMap() ? in.shape() : Shape.chw(in.shape().elementCount(), 1, 1);
        Window window = linear ? Window.global(inShape.height(), inShape.width()) : ((Conv2d) op).window();
        int groups = linear ? 1 : ((Conv2d) op).groups();
        TensorInfo out = node.output();
        Shape outShape = out.shape().isFeatureMap() ? out.shape() : Shape.chw(out.shape().elementCount(), 1, 1);
        requireActivation(id, "input", in.type());
        requireWeights(id, op);
        requireAccumulator(id, op, in);
        requireOutputStage(id, op.outputStage(), isOutput);
        if (!isOutput || !(op.outputStage() instanceof OutputStage.Accumulator)) {
            requireActivation(id, "output", out.type());
        }
        long inBytes = bufferBytes(in);
        long outBytes = bufferBytes(out);
        boolean inDram = inDram(inBytes, index - 1);
        boolean outDram = inDram(outBytes, index);

        RcaMapping mapping = RcaMapping.of(window.kernelH(), window.kernelW(), config.pesPerRca());
        long paddedWidth = (long) inShape.width() + window.padLeft() + window.padRight();
        if (config.dataflow() == Dataflow.LINE_BUFFER && window.kernelH() > 1
                && paddedWidth > config.lineBufferWidth()) {
            throw new UnsupportedLayerException(id, "padded input rows of " + paddedWidth + " pixels exceed the "
                    + config.lineBufferWidth() + "-entry partial-sum line buffers");
        }
        int outC = outShape.channels();
        int outH = outShape.height();
        int outW = outShape.width();
        int outPerGroup = outC / groups;
        int inPerGroup = inShape.channels() / groups;
        int perPassOut = config.convModules() * mapping.slots();
        int outGroups = ceilDiv(outPerGroup, perPassOut);
        int inGroups = ceilDiv(inPerGroup, config.rcasPerModule());
        int tileRows = tileRows(id, mapping, window, in, inShape, out, outH, outW, inDram, outDram, index);
        List<List<OutputGroup>> tiles = weightTiles(id, op, groups, outGroups, outPerGroup, perPassOut, inPerGroup,
                mapping.taps());

        long totalWeightBytes = 0;
        int rowTiles = ceilDiv(outH, tileRows);
        int jobs = tiles.size() * rowTiles;
        int job = 0;
        if (inDram) {
            program.add(loadRows(id, 0, tileRows, rowTiles, outH, window, in, inShape));
        }
        for (List<OutputGroup> tile : tiles) {
            int bank = weightTile[0] % 2;
            long bytes = bytesOf(op, tile, inPerGroup, mapping.taps());
            totalWeightBytes += bytes;
            int tileOut = tile.stream().mapToInt(OutputGroup::count).sum();
            program.add(new Instruction.LoadWeights(id, weightTile[0]++, bank, tile.get(0).start(), tileOut,
                    bytes));
            for (int rt = 0; rt < rowTiles; rt++, job++) {
                int rowStart = rt * tileRows;
                int rows = Math.min(tileRows, outH - rowStart);
                if (inDram && job + 1 < jobs) {
                    program.add(loadRows(id, job + 1, tileRows, rowTiles, outH, window, in, inShape));
                }
                int slot = inDram ? job % 2 : -1;
                for (OutputGroup unit : tile) {
                    for (int ig = 0; ig < inGroups; ig++) {
                        int inStart = unit.group() * inPerGroup + ig * config.rcasPerModule();
                        int inCount = Math.min(config.rcasPerModule(), inPerGroup - ig * config.rcasPerModule());
                        for (int c = 0; c < mapping.chunks(); c++) {
                            program.add(new Instruction.ConvPass(id, bank, unit.group(), unit.start(),
                                    unit.count(), inStart, inCount, c, rowStart, rows, ig == 0 && c == 0,
                                    ig == inGroups - 1 && c == mapping.chunks() - 1, slot));
                        }
                    }
                }
                if (outDram) {
                    program.add(new Instruction.StoreRows(id, job, rowStart, rows,
                            (long) ceilDiv(tileOut, CHANNELS_PER_WORD) * CHANNELS_PER_WORD * rows * outW));
                }
            }
        }
        long macs = (long) outC * inPerGroup * mapping.taps() * outH * outW;
        return new LayerPlan(id, op.kind(), inShape, outShape, window, groups, mapping, tileRows, tiles.size(),
                totalWeightBytes, macs, inBytes, outBytes, inDram, outDram);
    }

    /** Output channels {@code [start, start + count)} of convolution group {@code group} that one pass computes. */
    private record OutputGroup(int group, int start, int count) {
    }

    /**
     * Output rows per row tile: the psum buffer holds {@code slots × rows × W_out} accumulators per module, and a
     * DRAM-resident input or output is staged through half a feature-map buffer (double buffering).
     */
    private int tileRows(String id, RcaMapping mapping, Window window, TensorInfo in, Shape inShape, TensorInfo out,
            int outH, int outW, boolean inDram, boolean outDram, int index) {
        int rows = Math.min(outH, config.psumEntriesPerModule() / (mapping.slots() * outW));
        if (rows < 1) {
            throw new UnsupportedLayerException(id, "one output row needs " + (long) mapping.slots() * outW
                    + " partial sums per conv module (" + mapping.slots() + " kernels × " + outW + " columns), more"
                    + " than the " + config.psumEntriesPerModule() + " the psum buffer holds");
        }
        long inHalf = config.buffers().featureMapBytes(index - 1) / 2;
        long outHalf = config.buffers().featureMapBytes(index) / 2;
        if (inDram) {
            long inRows = inHalf / (wordBytes(in) * inShape.width());
            rows = (int) Math.min(rows, inRows < window.kernelH() ? 0
                    : (inRows - window.kernelH()) / window.strideH() + 1);
        }
        if (outDram) {
            rows = (int) Math.min(rows, outHalf / (wordBytes(out) * outW));
        }
        if (rows < 1) {
            throw new UnsupportedLayerException(id, "one output row with its " + window.kernelH() + " input rows does"
                    + " not fit half of the " + (inDram ? inHalf : outHalf) * 2 + " B feature-map buffer (row"
                    + " tiling through DRAM)");
        }
        return rows;
    }

    /** Whole output-channel groups, as many per tile as fit one weight bank. */
    private List<List<OutputGroup>> weightTiles(String id, WeightedOp op, int groups, int outGroups, int outPerGroup,
            int perPassOut, int inPerGroup, int taps) {
        List<List<OutputGroup>> tiles = new ArrayList<>();
        List<OutputGroup> current = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int og = 0; og < outGroups; og++) {
                OutputGroup unit = new OutputGroup(g, g * outPerGroup + og * perPassOut,
                        Math.min(perPassOut, outPerGroup - og * perPassOut));
                long unitBytes = weightBytes(op, unit.count(), inPerGroup, taps);
                if (unitBytes > config.buffers().weightBankBytes()) {
                    throw new UnsupportedLayerException(id, "the weights of " + unit.count() + " output channels ("
                            + unitBytes + " B with codebook, bias and requantization constants) exceed the "
                            + config.buffers().weightBankBytes() + " B weight bank");
                }
                List<OutputGroup> extended = new ArrayList<>(current);
                extended.add(unit);
                if (!current.isEmpty() && bytesOf(op, extended, inPerGroup, taps)
                        > config.buffers().weightBankBytes()) {
                    tiles.add(current);
                    current = new ArrayList<>();
                }
                current.add(unit);
            }
        }
        tiles.add(current);
        return tiles;
    }

    private LayerPlan pool(Node node, TensorInfo in, boolean isOutput, int index) {
        String id = node.id();
        requireActivation(id, "input", in.type());
        if (!isOutput) {
            requireActivation(id, "output", node.output().type());
        }
        Window window = node.op() instanceof MaxPool mp ? mp.window() : ((AvgPool) node.op()).window();
        long inBytes = bufferBytes(in);
        long outBytes = bufferBytes(node.output());
        if (inDram(inBytes, index - 1) || inDram(outBytes, index)) {
            int buffer = inDram(inBytes, index - 1) ? index - 1 : index;
            throw new UnsupportedLayerException(id, "a pool of a feature map larger than the "
                    + config.buffers().featureMapBytes(buffer) + " B feature-map buffer " + buffer % 2 + " ("
                    + (buffer == index ? outBytes : inBytes) + " B): row tiling through DRAM is implemented for"
                    + " convolutions only");
        }
        Shape outShape = node.output().shape();
        return new LayerPlan(id, node.op().kind(), in.shape(), outShape, window, 1, null, outShape.height(), 0, 0,
                0, inBytes, outBytes, false, false);
    }

    /** Bytes of a weight tile: indexes or codes, one codebook, bias, requantization constants. */
    private long bytesOf(WeightedOp op, List<OutputGroup> tile, int inPerGroup, int taps) {
        return weightBytes(op, tile.stream().mapToInt(OutputGroup::count).sum(), inPerGroup, taps);
    }

    private long weightBytes(WeightedOp op, int outChannels, int inPerGroup, int taps) {
        WeightDecoder decoder = config.weightDecoder();
        long weights = (long) outChannels * inPerGroup * taps;
        int bitsPerWeight = decoder.kind() == WeightDecoder.Kind.CODEBOOK ? decoder.indexBits() : config.weightBits();
        long bytes = (weights * bitsPerWeight + 7) / 8;
        bytes += ((long) decoder.entries() * config.weightBits() + 7) / 8;
        bytes += 4L * outChannels; // int32 bias
        bytes += op.outputStage() instanceof OutputStage.Requantize ? 5L * outChannels : 1; // M0 + n, or one shift
        return bytes;
    }

    private void requireWeights(String id, WeightedOp op) {
        WeightDecoder decoder = config.weightDecoder();
        IntType type = op.weights().codeType();
        if (type.bits() > config.weightBits()) {
            throw new UnsupportedLayerException(id, "weights are " + type + ", wider than the " + config.weightBits()
                    + "-bit multipliers");
        }
        if (decoder.kind() == WeightDecoder.Kind.CODEBOOK) {
            if (!(op.weights() instanceof CodebookWeights cb)) {
                throw new UnsupportedLayerException(id, "has plain " + type + " weights, but the " + config.name()
                        + " weight decoder takes " + decoder.indexBits() + "-bit codebook indexes (export a CLIP-Q"
                        + " model, or use a configuration with \"weightDecoder\": {\"kind\": \"plain\"} and"
                        + " \"peStyle\": \"multiplier\")");
            }
            if (cb.levels().size() > decoder.entries()) {
                throw new UnsupportedLayerException(id, "has a " + cb.levels().size() + "-entry codebook, the decoder"
                        + " holds " + decoder.entries() + " (" + decoder.indexBits() + "-bit indexes)");
            }
        }
    }

    private void requireAccumulator(String id, WeightedOp op, TensorInfo in) {
        int bits = op.accumulatorBound(in).requiredBits();
        if (bits > config.accumulatorBits()) {
            throw new UnsupportedLayerException(id, "its worst-case accumulator needs " + bits + " bits"
                    + " (docs/integer-semantics.md §5), the datapath has " + config.accumulatorBits());
        }
    }

    private void requireOutputStage(String id, OutputStage stage, boolean isOutput) {
        if (stage instanceof OutputStage.Requantize && config.requantizer() != RequantizerKind.MULTIPLIER) {
            throw new UnsupportedLayerException(id, "requantizes with a per-channel multiplier (§8), but the "
                    + config.name() + " requantizer only shifts (\"requantizer\": \"multiplier\" adds one)");
        }
        if (stage instanceof OutputStage.Accumulator && !isOutput) {
            throw new UnsupportedLayerException(id, "emits raw accumulators but is not the model output");
        }
    }

    private void requireActivation(String id, String what, IntType type) {
        if (type.bits() > config.activationBits()) {
            throw new UnsupportedLayerException(id, "its " + what + " is " + type + ", wider than the "
                    + config.activationBits() + "-bit activations of " + config.name());
        }
    }

    /** The input rows (halo included, padding excluded) of output row tile {@code job % rowTiles}. */
    private static Instruction.LoadRows loadRows(String id, int job, int tileRows, int rowTiles, int outH,
            Window window, TensorInfo in, Shape inShape) {
        int rt = job % rowTiles;
        int outStart = rt * tileRows;
        int outRows = Math.min(tileRows, outH - outStart);
        int first = Math.max(0, outStart * window.strideH() - window.padTop());
        int end = Math.min(inShape.height(), (outStart + outRows - 1) * window.strideH() - window.padTop()
                + window.kernelH());
        int rows = Math.max(0, end - first);
        return new Instruction.LoadRows(id, job, job % 2, first, rows, wordBytes(in) * rows * inShape.width());
    }

    /** A map of {@code bytes} in feature-map buffer {@code buffer mod 2} is too large for it: it lives in DRAM. */
    private boolean inDram(long bytes, int buffer) {
        return bytes > config.buffers().featureMapBytes(buffer);
    }

    /** Channels of 8-bit codes per 32-bit buffer word (paper: 4 channels per word). */
    static final int CHANNELS_PER_WORD = 4;

    /** Bytes of one pixel position (all channels) in channel-major 32-bit words. */
    private static long wordBytes(TensorInfo t) {
        Shape s = t.shape();
        int c = s.isFeatureMap() ? s.channels() : s.elementCount();
        int bytesPerCode = t.type().bits() <= 8 ? 1 : t.type().bits() <= 16 ? 2 : 4;
        int perWord = 4 / bytesPerCode;
        return (long) ceilDiv(c, perWord) * 4;
    }

    /**
     * Bytes a tensor takes in a feature-map buffer: channel-major 32-bit words holding {@code 4/bytesPerCode} channels
     * (paper: 4 channels of 8 bits per word). A map larger than one buffer lives in DRAM (docs/accelerator.md §2).
     */
    private static long bufferBytes(TensorInfo t) {
        Shape s = t.shape();
        long hw = s.isFeatureMap() ? (long) s.height() * s.width() : 1;
        return wordBytes(t) * hw;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
