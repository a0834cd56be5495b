package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.RcaMapping;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory images of one conv layer for {@code lowbit_accel} ({@code docs/rtl.md} "Memory images"): CSRs, the
 * layer's {@code conv_pass} instructions, weight indexes in preload order, biases, and the input feature map; and
 * the decoding of the output feature map. Weight and bias blocks are laid out once per (output group, input group,
 * chunk) and shared by the row tiles' passes.
 */
public final class LayerImages {

    private final RtlParameters p;
    private final LayerPlan plan;
    private final Conv2d op;
    private final TensorInfo input;
    private final TensorInfo output;
    private final List<Instruction.ConvPass> passes;
    private final ShiftRequantizer requantizer;
    private final CodebookWeights weights;

    final HexImage csr;
    final HexImage imem;
    final HexImage wmem;
    final HexImage bmem;
    final HexImage fmin;

    /**
     * @param inputCodes the layer's input feature map, {@code C·H·W} codes
     */
    public LayerImages(RtlParameters p, LayerPlan plan, Conv2d op, TensorInfo input, TensorInfo output,
            List<Instruction.ConvPass> passes, int[] inputCodes) {
        this.p = p;
        this.plan = plan;
        this.op = op;
        this.input = input;
        this.output = output;
        this.passes = List.copyOf(passes);
        if (plan.groups() != 1) {
            throw new IllegalArgumentException(plan.layer() + ": grouped convolution is not done in the RTL");
        }
        if (!(op.outputStage() instanceof OutputStage.Shift shift)) {
            throw new IllegalArgumentException(plan.layer() + ": output stage " + op.outputStage().kind()
                    + "; the RTL requantizer shifts (docs/integer-semantics.md §9)");
        }
        requantizer = shift.shift();
        if (requantizer.rounding() != Rounding.FLOOR && requantizer.rounding() != Rounding.ROUND_HALF_UP) {
            throw new IllegalArgumentException(plan.layer() + ": rounding " + requantizer.rounding() + " is not in"
                    + " the RTL (FLOOR, ROUND_HALF_UP)");
        }
        if (!(op.weights() instanceof CodebookWeights cb) || cb.levels().size() > p.codebookEntries()) {
            throw new IllegalArgumentException(plan.layer() + ": needs codebook weights of at most "
                    + p.codebookEntries() + " levels");
        }
        weights = cb;
        if (input.hasPerChannelZeroPoints()) {
            throw new IllegalArgumentException(plan.layer() + ": per-channel input zero-points are not in the RTL");
        }
        if (passes.isEmpty() || passes.size() > p.imemDepth()) {
            throw new IllegalArgumentException(plan.layer() + ": " + passes.size() + " passes, the instruction"
                    + " memory holds " + p.imemDepth());
        }
        csr = new HexImage(32);
        imem = new HexImage(RtlParameters.INSTRUCTION_BITS);
        wmem = new HexImage(p.weightWordBits());
        bmem = new HexImage(p.biasWordBits());
        fmin = new HexImage(p.fmWordBits());
        buildCsr();
        buildInput(inputCodes);
        buildProgram();
        require(wmem.size() <= p.wmemDepth(), "weight words " + wmem.size() + " > " + p.wmemDepth());
        require(bmem.size() <= p.bmemDepth(), "bias words " + bmem.size() + " > " + p.bmemDepth());
        require(fmin.size() <= p.fmDepth(), "input words " + fmin.size() + " > " + p.fmDepth());
        require(outputWords() <= p.outDepth(), "output words " + outputWords() + " > " + p.outDepth());
    }

    private void buildCsr() {
        var w = plan.window();
        var clamp = requantizer.output();
        long[] fixed = {plan.input().height(), plan.input().width(), plan.output().width(), w.kernelH(), w.kernelW(),
            w.strideH(), w.strideW(), w.padLeft(), passes.size(), input.zeroPoint(0), input.type().signed() ? 1 : 0,
            requantizer.rightShift(), requantizer.rounding() == Rounding.ROUND_HALF_UP ? 1 : 0, clamp.zeroPoint(),
            clamp.lo(), clamp.hi()};
        for (long v : fixed) {
            csr.add(v);
        }
        for (int e = 0; e < p.codebookEntries(); e++) {
            csr.add(e < weights.levels().size() ? weights.levels().get(e) : 0);
        }
    }

    private void buildInput(int[] codes) {
        int c = plan.input().channels();
        int hw = plan.input().height() * plan.input().width();
        int groups = (c + p.pi() - 1) / p.pi();
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < hw; k++) {
                long[] lanes = new long[p.pi()];
                for (int i = 0; i < p.pi(); i++) {
                    int ch = g * p.pi() + i;
                    lanes[i] = ch < c ? codes[ch * hw + k] : 0;
                }
                fmin.addLanes(lanes, p.activationBits());
            }
        }
    }

    private void buildProgram() {
        RcaMapping m = plan.mapping();
        var win = plan.window();
        int taps = m.taps();
        int inPerGroup = plan.input().channels();
        Map<String, Integer> weightBlocks = new HashMap<>();
        Map<Integer, Integer> biasBlocks = new HashMap<>();
        for (Instruction.ConvPass cp : passes) {
            int t = m.chunkTaps(cp.chunk());
            int t0 = m.chunkStart(cp.chunk());
            int slots = m.slots();
            require(cp.inStart() % p.pi() == 0, "input group not aligned to PI");
            require(cp.outCount() <= p.po() * slots && cp.inCount() <= p.pi(), "pass wider than the unit");
            int wbase = weightBlocks.computeIfAbsent(cp.outStart() + "/" + cp.inStart() + "/" + cp.chunk(), key -> {
                int base = wmem.size();
                int k = slots * t;
                for (int word = 0; word < k; word++) {
                    int pe = k - 1 - word; // shift chain: the first word travels to the far PE
                    int s = pe / t;
                    int tap = t0 + pe % t;
                    long[] lanes = new long[p.po() * p.pi()];
                    for (int mod = 0; mod < p.po(); mod++) {
                        int o = cp.outStart() + s * p.po() + mod;
                        for (int i = 0; i < p.pi(); i++) {
                            int c = cp.inStart() + i;
                            boolean used = o < cp.outStart() + cp.outCount() && i < cp.inCount();
                            lanes[mod * p.pi() + i] = used ? weights.indexes().get((o * inPerGroup + c) * taps + tap)
                                    : 0;
                        }
                    }
                    wmem.addLanes(lanes, p.indexBits());
                }
                return base;
            });
            int bbase = biasBlocks.computeIfAbsent(cp.outStart(), key -> {
                int base = bmem.size();
                for (int word = 0; word < slots; word++) {
                    int s = slots - 1 - word;
                    long[] lanes = new long[p.po()];
                    for (int mod = 0; mod < p.po(); mod++) {
                        int o = cp.outStart() + s * p.po() + mod;
                        lanes[mod] = o < cp.outStart() + cp.outCount() ? op.bias().get(o) : 0;
                    }
                    bmem.addLanes(lanes, p.accumulatorBits());
                }
                return base;
            });
            int d = taps - t0 - t;
            int hIn = plan.input().height();
            int wIn = plan.input().width();
            int inRow0 = cp.rowStart() * win.strideH() - win.padTop();
            long inAddr0 = (long) (cp.inStart() / p.pi()) * hIn * wIn + (long) inRow0 * wIn;
            int og = cp.outStart() / (p.po() * slots);
            long outBase = ((long) og * plan.output().height() + cp.rowStart()) * plan.output().width();
            int r = (cp.rows() - 1) * win.strideH() + m.kernelH();
            long[] w = {
                (cp.first() ? 1 : 0) | (cp.last() ? 2 : 0) | (t << 8) | (slots << 16) | ((long) cp.inCount() << 24),
                cp.outCount() | ((d / m.kernelW()) << 16) | ((long) (d % m.kernelW()) << 24),
                wbase, bbase, inAddr0, outBase, inRow0, cp.rows() | ((long) r << 16)};
            imem.addLanes(w, 32);
        }
    }

    /** Output words the RTL writes: {@code ⌈C_out/(PO·slots)⌉·H_out·W_out}. */
    public int outputWords() {
        int perGroup = p.po() * plan.mapping().slots();
        return (plan.output().channels() + perGroup - 1) / perGroup * plan.output().height()
                * plan.output().width();
    }

    /** The output feature map ({@code C·H·W} codes) from the RTL's output words. */
    public int[] decodeOutput(List<BigInteger> words) {
        int c = plan.output().channels();
        int h = plan.output().height();
        int w = plan.output().width();
        int perGroup = p.po() * plan.mapping().slots();
        boolean signed = output.type().signed();
        int[] out = new int[c * h * w];
        for (int o = 0; o < c; o++) {
            int og = o / perGroup;
            int lane = o % perGroup; // = s·PO + m
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    BigInteger word = words.get((og * h + y) * w + x);
                    out[(o * h + y) * w + x] = HexImage.lane(word, lane, p.activationBits(), signed);
                }
            }
        }
        return out;
    }

    /** Writes {@code csr.hex}, {@code imem.hex}, {@code wmem.hex}, {@code bmem.hex}, {@code fmin.hex}. */
    public void write(Path dir) {
        csr.write(dir.resolve("csr.hex"));
        imem.write(dir.resolve("imem.hex"));
        wmem.write(dir.resolve("wmem.hex"));
        bmem.write(dir.resolve("bmem.hex"));
        fmin.write(dir.resolve("fmin.hex"));
    }

    /** Plusargs telling {@code tb_top} the image sizes. */
    public List<String> plusargs() {
        return List.of("+n_csr=" + csr.size(), "+n_imem=" + imem.size(), "+n_wmem=" + wmem.size(),
                "+n_bmem=" + bmem.size(), "+n_fm=" + fmin.size(), "+n_out=" + outputWords());
    }

    /** Preload cycles of the first pass ({@code slots·T}): exposed at the start of a layer run alone. */
    public int firstPreloadCycles() {
        return plan.mapping().slots() * plan.mapping().chunkTaps(passes.get(0).chunk());
    }

    /**
     * Cycles the last output write comes after the last pixel's own write slot: a requantizing last pass's last
     * window needs {@code q = ⌈slots/R⌉} cycles in the shared requantizers and ends {@code d} pixels (the taps
     * after its chunk) before the pass: {@code max(0, q − 1 − d)}.
     */
    public int lastPassRequantizerTail() {
        Instruction.ConvPass last = passes.get(passes.size() - 1);
        if (!last.last()) {
            return 0;
        }
        var m = plan.mapping();
        int d = m.taps() - m.chunkStart(last.chunk()) - m.chunkTaps(last.chunk());
        return Math.max(0, p.requantizerCycles(m.slots()) - 1 - d);
    }

    /** Taps of the last pass's chunk (the simulator's chain latency in its drain). */
    public int lastPassTaps() {
        return plan.mapping().chunkTaps(passes.get(passes.size() - 1).chunk());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
