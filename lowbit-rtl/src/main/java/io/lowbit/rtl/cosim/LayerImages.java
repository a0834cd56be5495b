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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One conv layer in the memory images of {@code lowbit_accel} ({@code docs/rtl.md} "Memory images"): appends its
 * descriptor (CSRs, with its {@link PassLoop}), its {@code layer} instruction and one {@code conv_pass} (the first
 * pass; the loop generates the others, checked against the compiler's passes), its weight indexes in preload order and
 * its biases to a {@link ProgramImages}; and decodes its output map. Weight and bias blocks are laid out once per
 * (output group, input group, chunk) and shared by the row tiles' passes.
 */
public final class LayerImages {

    /**
     * Conv CSR word: the next conv layer's first {@code conv_pass} address + 1 (0: none), whose preload the
     * controller starts when this layer's last pass starts ({@code lowbit_controller}).
     */
    public static final int NEXT_PASS_CSR = 17;

    private final RtlParameters p;
    private final LayerPlan plan;
    private final Conv2d op;
    private final TensorInfo input;
    private final TensorInfo output;
    private final List<Instruction.ConvPass> passes;
    private final ShiftRequantizer requantizer;
    private final CodebookWeights weights;
    private final FeatureMapLayout layout;
    private final ProgramImages program;
    private final List<Integer> tiles;
    private final TileSink sink;
    private final DramStaging staging;

    /**
     * Where the weight tiles of a program with DMA go ({@link NetworkImages}): the words {@code [wStart, wEnd)} of
     * the weight image and {@code [bStart, bEnd)} of the bias image are tile {@code tile}, which {@code load_weights}
     * moves into bank {@code tile mod 2} from word 0 on.
     */
    public interface TileSink {
        void tile(int tile, int wStart, int wEnd, int bStart, int bEnd);
    }

    /** Appends the layer to {@code program}; its weights and biases are preloaded into bank 0 by the host. */
    public LayerImages(RtlParameters p, LayerPlan plan, Conv2d op, TensorInfo input, TensorInfo output,
            List<Instruction.ConvPass> passes, ProgramImages program) {
        this(p, plan, op, input, output, passes, program, null, null, null, 0);
    }

    /**
     * Appends the layer to {@code program}, its passes reading the weight tiles {@code tiles} (per pass, the
     * compiler's {@code load_weights} order) from the DMA's banks: tile {@code t} is in bank {@code t mod 2}, a pass
     * waits for the bank's {@code t/2 + 1}-th load, the last pass of a tile releases the bank, and the weight and
     * bias bases are relative to the tile ({@code sink} learns each tile's words); {@code staging}: how its maps in
     * DRAM are staged ({@code null}: both maps on chip); it reads feature-map buffer {@code inputBuffer} and writes
     * the other one.
     */
    public LayerImages(RtlParameters p, LayerPlan plan, Conv2d op, TensorInfo input, TensorInfo output,
            List<Instruction.ConvPass> passes, ProgramImages program, List<Integer> tiles, TileSink sink,
            DramStaging staging, int inputBuffer) {
        this.p = p;
        this.staging = staging;
        if (staging == null && (plan.inputInDram() || plan.outputInDram())) {
            throw new IllegalArgumentException(plan.layer() + ": its feature maps do not fit the buffers; a layer"
                    + " run alone (without DMA) cannot stage them from DRAM");
        }
        this.tiles = tiles == null ? null : List.copyOf(tiles);
        this.sink = sink;
        if (tiles != null && tiles.size() != passes.size()) {
            throw new IllegalArgumentException(plan.layer() + ": " + tiles.size() + " tiles for " + passes.size()
                    + " passes");
        }
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
        if (passes.isEmpty() || passes.size() > 0xFFFF) {
            throw new IllegalArgumentException(plan.layer() + ": " + passes.size() + " passes");
        }
        this.layout = new FeatureMapLayout(p);
        this.program = program;
        if (!stagedIn()) {
            layout.requireFits(plan.layer() + " input", plan.input().channels(), plan.input().height()
                    * plan.input().width(), inputBuffer);
        }
        if (!stagedOut()) {
            layout.requireFits(plan.layer() + " output", plan.output().channels(), outputPlane(), inputBuffer + 1);
        }
        List<long[]> words = buildPasses();
        if (tiles == null) {
            program.checkPreloadedBanks(p, plan.layer());
        }
        PassLoop loop = new PassLoop(p, plan, this.passes, this.tiles, staging);
        loop.verify(words, this.passes, this.tiles);
        program.layer(descriptor(loop));
        program.instruction(words.get(0));
    }

    /** The CSRs of the layer ({@code lowbit_accel_top}: conv CSR words), with its pass loop's. */
    private long[] descriptor(PassLoop loop) {
        var w = plan.window();
        var clamp = requantizer.output();
        long[] csr = new long[p.csrWords()];
        long[] fixed = {plan.input().height(), plan.input().width(), plan.output().width(), w.kernelH(), w.kernelW(),
            w.strideH(), w.strideW(), w.padLeft(), passes.size(), input.zeroPoint(0), input.type().signed() ? 1 : 0,
            requantizer.rightShift(), requantizer.rounding() == Rounding.ROUND_HALF_UP ? 1 : 0, clamp.zeroPoint(),
            clamp.lo(), clamp.hi(), stagedOut() ? staging.outPlane() : outputPlane()};
        System.arraycopy(fixed, 0, csr, 0, fixed.length);
        if (staging != null) { // the DMA counts the controller waits for (lowbit_controller)
            require(staging.rowsBase() + staging.jobs() <= 0xFFFF && staging.storeBase() + staging.jobs() <= 0xFFFF,
                    plan.layer() + ": more than 65,535 load_rows or store_rows");
            csr[ROWS_BASE_CSR] |= (long) staging.rowsBase() << 16;
            csr[STORE_BASE_CSR] |= (long) staging.storeBase() << 16;
            csr[STORE_END_CSR] |= (long) (staging.storeBase() + (stagedOut() ? staging.jobs() : 0)) << 16;
        }
        long[] loopCsrs = loop.csrs();
        System.arraycopy(loopCsrs, 0, csr, PassLoop.FIRST_CSR, loopCsrs.length);
        for (int e = 0; e < weights.levels().size(); e++) {
            csr[RtlParameters.CSR_FIXED_WORDS + e] = weights.levels().get(e);
        }
        return csr;
    }

    /** Conv CSR words whose bits 31:16 hold the counts of a layer with maps in DRAM ({@code lowbit_controller}). */
    static final int ROWS_BASE_CSR = 3;
    static final int STORE_BASE_CSR = 4;
    static final int STORE_END_CSR = 5;

    private boolean stagedIn() {
        return staging != null && staging.input();
    }

    private boolean stagedOut() {
        return staging != null && staging.output();
    }

    private int outputPlane() {
        return plan.output().height() * plan.output().width();
    }

    /** Lays out the weight and bias blocks; returns every pass as an instruction ({@code w0 … w7}). */
    private List<long[]> buildPasses() {
        List<long[]> words = new ArrayList<>();
        HexImage wmem = program.wmem;
        HexImage bmem = program.bmem;
        RcaMapping m = plan.mapping();
        var win = plan.window();
        int taps = m.taps();
        int inPerGroup = plan.input().channels();
        Map<String, Integer> weightBlocks = new HashMap<>();
        Map<Integer, Integer> biasBlocks = new HashMap<>();
        int tile = -1;
        int wTile = 0;
        int bTile = 0;
        int job = -1;
        String jobKey = "";
        for (int n = 0; n < passes.size(); n++) {
            Instruction.ConvPass cp = passes.get(n);
            // row tile of the layer over its weight tiles (the compiler's job; its half of a staged map)
            String jk = (tiles == null ? 0 : tiles.get(n)) + "/" + cp.rowStart();
            if (!jk.equals(jobKey)) {
                job++;
                jobKey = jk;
            }
            if (stagedIn() && cp.inputSlot() != job % 2) {
                throw new IllegalArgumentException(plan.layer() + ": pass " + n + " reads input half "
                        + cp.inputSlot() + ", the RTL stages row tile " + job + " in half " + job % 2);
            }
            if (tiles != null && tiles.get(n) != tile) {
                if (tile >= 0) {
                    sink.tile(tile, wTile, wmem.size(), bTile, bmem.size());
                }
                tile = tiles.get(n);
                wTile = wmem.size();
                bTile = bmem.size();
            }
            boolean release = tiles != null && (n + 1 == passes.size() || tiles.get(n + 1) != tile);
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
            int gIn = cp.inStart() / p.pi();
            long inAddr0 = stagedIn()
                    ? staging.slotBase(job % 2) + (long) (gIn / p.fmBanks()) * staging.inPlane()
                    : layout.inBankAddress(gIn, (long) inRow0 * wIn, (long) hIn * wIn);
            long pixBase = stagedOut() ? staging.slotBase(job % 2) : (long) cp.rowStart() * plan.output().width();
            int g0 = cp.outStart() / p.pi();
            int r0 = cp.outStart() % p.pi();
            int r = (cp.rows() - 1) * win.strideH() + m.kernelH();
            int wrel = wbase - wTile;
            int brel = bbase - bTile;
            int bank = tiles == null ? 0 : tile % 2;
            int need = tiles == null ? 0 : tile / 2 + 1;
            require(wrel < (1 << 16) && brel < (1 << 24) && need <= 0xFFFF && pixBase < (1 << 24) && g0 <= 0xFFFF
                    && Math.abs(inRow0) < (1 << 15) && job <= 0xFFFF, "conv_pass fields out of range");
            long[] w = {
                (cp.first() ? 1 : 0) | (cp.last() ? 2 : 0) | (ProgramImages.OP_CONV_PASS << 2) | (bank << 4)
                    | (release ? 1 << 5 : 0) | (t << 8) | (slots << 16) | ((long) cp.inCount() << 24),
                cp.outCount() | ((d / m.kernelW()) << 16) | ((long) (d % m.kernelW()) << 24),
                wrel | ((long) need << 16), brel | ((long) r0 << 24), (inAddr0 & 0xFFFFL) | ((long) job << 16),
                pixBase | ((long) layout.bank(gIn) << 24),
                (inRow0 & 0xFFFFL) | ((long) g0 << 16), cp.rows() | ((long) r << 16)};
            words.add(w);
        }
        if (tile >= 0) {
            sink.tile(tile, wTile, wmem.size(), bTile, bmem.size());
        }
        return words;
    }

    /** Words per bank {@code tb_top} dumps to read the output map back. */
    public int outputBankWords() {
        return layout.bankWords(plan.output().channels(), outputPlane());
    }

    /** The output feature map ({@code C·H·W} codes) from {@code tb_top}'s dump of its buffer. */
    public int[] decodeOutput(List<BigInteger> dump) {
        return layout.decode(dump, outputBankWords(), plan.output().channels(), outputPlane(), p.activationBits(),
                output.type().signed());
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
