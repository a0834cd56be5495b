package io.lowbit.rtl;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.PeStyle;
import io.lowbit.accel.config.RequantizerKind;
import io.lowbit.accel.config.WeightDecoder;
import io.lowbit.accel.dsp.DspPacking;
import io.lowbit.accel.dsp.DspSlice;

/**
 * Verilog parameters of one generated accelerator: the datapath of an {@link AcceleratorConfig} plus memory depths.
 * The depths are the RTL's own (the controller's memories are word-organized, see {@code docs/rtl.md}); they are
 * sized from the configuration's buffers and can be shrunk for synthesis of small instances.
 *
 * @param name            configuration name (for reports)
 * @param po              conv modules (output-channel parallelism)
 * @param pi              RCAs per module (input-channel parallelism)
 * @param pes             PEs per RCA
 * @param activationBits  feature-map code width
 * @param weightBits      decoded weight width
 * @param indexBits       codebook index width
 * @param accumulatorBits partial-sum width
 * @param requantizers    shift requantizers per conv module, shared by its {@code pes} kernel slots
 * @param psumEntries     partial sums per conv module (slot 0's bank; slot s has {@code psumEntries/(s+1)})
 * @param imemDepth       instructions
 * @param wmemDepth       weight-index words ({@code po·pi} indexes each)
 * @param bmemDepth       bias words ({@code po} biases each)
 * @param fmDepth         words of feature-map buffer 0 ({@code pi} codes each), spread over {@link #fmBanks()}
 *                        banks
 * @param resultDepth     words of the result memory ({@code pi} codes of {@code 2·activationBits} bits each: the
 *                        output of a network whose last layer is a pool with wide outputs, e.g. NIN's int16 gap)
 * @param multiplierPes   the paper's PE style: every PE multiplies by its decoded weight ({@code false}: PEs select
 *                        shared codebook products)
 * @param pack            products per multiplication: {@code > 1} packs that many into one DSP48 slice
 *                        ({@code lowbit_shared_mul}, {@link io.lowbit.accel.dsp.DspPacking})
 * @param dmaBeatBytes    bytes of a DRAM beat, the configuration's DMA bytes per cycle (a power of two;
 *                        {@code lowbit_dma})
 * @param lutMultipliers  the configuration's {@code multipliers: lut} (the paper): the PE / codebook products are
 *                        written as LUT logic (Booth partial-product sums, {@code lowbit_shared_mul}) in the
 *                        generated Verilog, so synthesis keeps them out of DSP48 slices even where it may use DSPs
 *                        for the pool unit's requantizer and the address products; {@code pack} must be 1
 * @param fmDepth1        words of feature-map buffer 1 (the configuration's {@code buffers.featureMapBytes1})
 */
public record RtlParameters(String name, int po, int pi, int pes, int activationBits, int weightBits, int indexBits,
        int accumulatorBits, int requantizers, int psumEntries, int imemDepth, int wmemDepth, int bmemDepth,
        int fmDepth, int resultDepth, boolean multiplierPes, int pack, int dmaBeatBytes, boolean lutMultipliers,
        int fmDepth1) {

    /** Width of an unpacked instruction, as the decoders read it (stored: {@link InstructionFormat#bits()}). */
    public static final int INSTRUCTION_BITS = 256;
    /** CSR words before the codebook entries (conv layers use 32: 18 .. 31 the pass loop; pools 21). */
    public static final int CSR_FIXED_WORDS = 32;
    /** Entries of the DMA queue ({@code lowbit_accel_top} {@code DQ_DEPTH}). */
    public static final int DMA_QUEUE_DEPTH = 256;
    /** Layer descriptors the descriptor memory holds. */
    public static final int DESCRIPTOR_DEPTH = 64;

    public RtlParameters {
        require(po >= 1 && pi >= 1, "po and pi must be >= 1");
        require(pes >= 1 && pes <= 255, "pes must be in 1..255 (8-bit T and slots fields)");
        require(activationBits >= 2 && activationBits <= 8, "activationBits must be in 2..8");
        require(weightBits >= 2 && weightBits <= 16, "weightBits must be in 2..16");
        require(indexBits >= 1 && indexBits <= 8, "indexBits must be in 1..8");
        require(accumulatorBits > chainBits(activationBits, weightBits, pes) + adderTreeStages(pi)
                && accumulatorBits <= 32, "accumulatorBits must exceed the adder tree's sums ("
                + (chainBits(activationBits, weightBits, pes) + adderTreeStages(pi)) + " bits) and be <= 32");
        require(requantizers >= 1 && requantizers <= pes, "requantizers must be in 1..pes");
        // the bias of pass k+1 is copied at its first pixel, so the psum stage of pass k (2 + L cycles after its
        // first pixel) must come before: the shortest preload (pes/2 + 1 cycles) bounds the pass spacing
        require(pes / 2 + 1 >= adderTreeStages(pi) + 3, "pes too small for the adder tree depth");
        require(psumEntries >= 2 * pes, "psumEntries must be >= 2·pes (every slot bank holds two entries)");
        require(imemDepth >= 2 && wmemDepth >= 2 && bmemDepth >= 2 && fmDepth >= 2 && resultDepth >= 2,
                "memory depths must be >= 2");
        require(pi <= 256, "pi must be <= 256 (8-bit r0 field of conv_pass)");
        require(pack == 1 || pack <= DspPacking.maxCount(DspSlice.DSP48E1, activationBits + 1, weightBits),
                "pack = " + pack + ": a DSP48E1 holds at most " + DspPacking.maxCount(DspSlice.DSP48E1,
                        activationBits + 1, weightBits) + " products of this width");
        require(pack >= 1, "pack must be >= 1");
        require(dmaBeatBytes >= 1 && dmaBeatBytes <= 128 && Integer.bitCount(dmaBeatBytes) == 1,
                "dmaBeatBytes must be a power of two in 1..128 (the DMA's bytes per cycle)");
        require(!lutMultipliers || pack == 1, "LUT multipliers are not packed (pack = " + pack + ")");
        require(fmDepth1 >= 2, "fmDepth1 must be >= 2");
    }

    /** Two feature-map buffers of {@code fmDepth} words. */
    public RtlParameters(String name, int po, int pi, int pes, int activationBits, int weightBits, int indexBits,
            int accumulatorBits, int requantizers, int psumEntries, int imemDepth, int wmemDepth, int bmemDepth,
            int fmDepth, int resultDepth, boolean multiplierPes, int pack, int dmaBeatBytes, boolean lutMultipliers) {
        this(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits, requantizers, psumEntries,
                imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack, dmaBeatBytes,
                lutMultipliers, fmDepth);
    }

    /** DSP (or packed DSP) multipliers: {@code *} in the Verilog, as synthesis maps it. */
    public RtlParameters(String name, int po, int pi, int pes, int activationBits, int weightBits, int indexBits,
            int accumulatorBits, int requantizers, int psumEntries, int imemDepth, int wmemDepth, int bmemDepth,
            int fmDepth, int resultDepth, boolean multiplierPes, int pack, int dmaBeatBytes) {
        this(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits, requantizers, psumEntries,
                imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack, dmaBeatBytes, false);
    }

    /** A DRAM beat of {@link #DEFAULT_BEAT_BYTES}. */
    public RtlParameters(String name, int po, int pi, int pes, int activationBits, int weightBits, int indexBits,
            int accumulatorBits, int requantizers, int psumEntries, int imemDepth, int wmemDepth, int bmemDepth,
            int fmDepth, int resultDepth, boolean multiplierPes, int pack) {
        this(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits, requantizers, psumEntries,
                imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack, DEFAULT_BEAT_BYTES);
    }

    /** The DRAM beat of the unit-level instances (64 bits: one AXI HP beat). */
    public static final int DEFAULT_BEAT_BYTES = 8;

    /** Codebook-select PEs, one product per multiplier. */
    public RtlParameters(String name, int po, int pi, int pes, int activationBits, int weightBits, int indexBits,
            int accumulatorBits, int requantizers, int psumEntries, int imemDepth, int wmemDepth, int bmemDepth,
            int fmDepth, int resultDepth) {
        this(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits, requantizers, psumEntries,
                imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, false, 1, DEFAULT_BEAT_BYTES);
    }

    /** The preset's datapath with memories sized from its buffers. */
    public static RtlParameters of(AcceleratorConfig c) {
        require(c.weightDecoder().kind() == WeightDecoder.Kind.CODEBOOK, c.name() + ": the RTL implements the"
                + " codebook weight decoder only (plain decoders: not done, docs/rtl.md)");
        require(c.requantizer() == RequantizerKind.SHIFT, c.name() + ": the RTL implements the shift requantizer"
                + " only (per-channel multipliers: not done, docs/rtl.md)");
        require(c.dataflow() == Dataflow.STRIP, c.name() + ": the RTL implements the paper's strip dataflow only"
                + " (line buffers: simulator only so far, docs/rtl.md)");
        int po = c.convModules();
        int pi = c.rcasPerModule();
        int indexBits = c.weightDecoder().indexBits();
        int fm = ceilDiv(c.buffers().featureMapBytes(0), pi);
        int fm1 = ceilDiv(c.buffers().featureMapBytes(1), pi);
        int beat = c.dma().bytesPerCycle();
        require(Integer.bitCount(beat) == 1, c.name() + ": the RTL's DRAM beats are a power of two bytes, not "
                + beat + " (dma.bytesPerCycle)");
        int wmem = weightBankWords(c.buffers().weightBankBytes(), po * pi * indexBits, 8 * beat);
        int bmem = biasBankWords(c.buffers().weightBankBytes(), po * c.accumulatorBits(), 8 * beat);
        return new RtlParameters(c.name(), po, pi, c.pesPerRca(), c.activationBits(), c.weightBits(), indexBits,
                c.accumulatorBits(), c.requantizersPerModule(), c.psumEntriesPerModule(), DEFAULT_IMEM_DEPTH, wmem,
                bmem, fm, 1024, c.peStyle() == PeStyle.MULTIPLIER, c.productsPerDsp(), beat,
                !c.multipliers().usesDsp(), fm1);
    }

    /**
     * Instructions of the configured instruction memory: 512, one 512-row block-RAM column (512 × 36-bit RAMB18s,
     * docs/rtl.md §4). A conv layer is one instruction (its first pass; the others come from the pass loop,
     * {@code lowbit_pass_loop}), so a program has about three instructions per layer whatever its pass count: the
     * full trained NIN 36, a full-width VGG7 (its classifier a 4×4 convolution) 30. Programs that do not fit are rejected
     * ({@code NetworkImages}); {@link #withInstructionDepth} sizes another.
     */
    public static final int DEFAULT_IMEM_DEPTH = 512;

    /**
     * Words of a weight bank ({@code lowbit_dma_ram}): the configured {@code buffers.weightBankBytes} in words of
     * {@code wordBits} indexes. A word whose power-of-two DRAM slot is as wide as a beat or wider is stored in a row
     * of its own bits (the bank holds {@code ⌊8·bytes / wordBits⌋} words: a 96-bit word costs 96 bits, not its
     * 128-bit slot); narrower slots share rows of a beat, rounded up to whole rows. A weight tile whose padded
     * words (partial input or output groups) exceed it is rejected when the images are built
     * ({@code NetworkImages}).
     */
    public static int weightBankWords(int bankBytes, int wordBits, int beatBits) {
        int slot = slotBits(wordBits);
        if (slot >= beatBits) {
            return (int) Math.max(2, 8L * bankBytes / wordBits);
        }
        int perRow = beatBits / slot;
        long words = ceilDiv(8L * bankBytes, slot);
        return (int) Math.max(2, ceilDiv(words, perRow) * perRow);
    }

    /**
     * Rows of a bias bank: one 512-row block-RAM column (a RAMB18 is 512 × 36 bits at its widest, a RAMB36 512 × 72),
     * the shallowest depth that still maps to block RAM, or the configured bank's bytes in bias words if fewer.
     */
    public static final int BIAS_BANK_ROWS = 512;

    /**
     * Words of a bias bank: {@code PO} biases of one kernel slot per word, in its power-of-two slot. A weight tile
     * needs one word per kernel slot of each of its output groups (its output channels / {@code PO}, rounded up per
     * group); {@link #BIAS_BANK_ROWS} rows hold {@code 512·PO} output channels per tile (2,048 for the preset; the
     * full trained NIN's largest tile needs 50 words, a VGG7's 32), and the DMA moves only the tile's words, so a
     * deeper bank would cost block RAM for nothing. At most the configured {@code buffers.weightBankBytes} in bias
     * words (the compiler's weight tile holds a 4-byte bias per output channel). A tile with more bias words is
     * rejected when the images are built ({@code NetworkImages}).
     */
    public static int biasBankWords(int bankBytes, int wordBits, int beatBits) {
        int slot = slotBits(wordBits);
        int perRow = Math.max(1, beatBits / slot);
        int configured = Math.max(2, bankBytes / (wordBits / 8));
        return Math.max(2, Math.min(configured, BIAS_BANK_ROWS * perRow));
    }

    /** The same datapath with other memory depths (synthesis of a small instance; two equal buffers). */
    public RtlParameters withMemories(int psum, int imem, int wmem, int bmem, int fm, int out) {
        return new RtlParameters(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits,
                requantizers, psum, imem, wmem, bmem, fm, out, multiplierPes, pack, dmaBeatBytes, lutMultipliers, fm);
    }

    /** The same instance with another instruction-memory depth. */
    public RtlParameters withInstructionDepth(int imem) {
        return new RtlParameters(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits,
                requantizers, psumEntries, imem, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack,
                dmaBeatBytes, lutMultipliers, fmDepth1);
    }

    /** The same instance with another parallelism (small synthesis runs). */
    public RtlParameters withParallelism(int newPo, int newPi) {
        return new RtlParameters(name, newPo, newPi, pes, activationBits, weightBits, indexBits, accumulatorBits,
                requantizers, psumEntries, imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack,
                dmaBeatBytes, lutMultipliers, fmDepth1);
    }

    /** The same instance with another requantizer count (small synthesis runs). */
    public RtlParameters withRequantizers(int r) {
        return new RtlParameters(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits, r,
                psumEntries, imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes, pack,
                dmaBeatBytes, lutMultipliers, fmDepth1);
    }

    /** The same instance with another PE style and packing (packed products are DSP multipliers). */
    public RtlParameters withMultipliers(boolean newMultiplierPes, int newPack) {
        return new RtlParameters(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits,
                requantizers, psumEntries, imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, newMultiplierPes,
                newPack, dmaBeatBytes, lutMultipliers && newPack == 1, fmDepth1);
    }

    /** The same instance with the PE / codebook products as LUT logic ({@code true}) or {@code *} (DSPs). */
    public RtlParameters withLutMultipliers(boolean lut) {
        return new RtlParameters(name, po, pi, pes, activationBits, weightBits, indexBits, accumulatorBits,
                requantizers, psumEntries, imemDepth, wmemDepth, bmemDepth, fmDepth, resultDepth, multiplierPes,
                lut ? 1 : pack, dmaBeatBytes, lut, fmDepth1);
    }

    /**
     * Bits of an RCA chain's partial sums: a product {@code x·level} ({@code x} centred, {@code activationBits + 1}
     * bits; its magnitude stays below {@code 2^(activationBits + weightBits − 1)}) takes
     * {@code activationBits + weightBits} bits, and a sum of {@code pes} of them {@code ⌈log2 pes⌉} more.
     */
    public static int chainBits(int activationBits, int weightBits, int pes) {
        return activationBits + weightBits + adderTreeStages(pes);
    }

    public static int adderTreeStages(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** Register stages of the adder tree: {@code ⌈log2 pi⌉}. */
    public int adderTreeStages() {
        return adderTreeStages(pi);
    }

    /** Cycles from the last pixel's address (S0) to its output write, inclusive (docs/rtl.md). */
    public int drainCycles() {
        return adderTreeStages() + 4;
    }

    /**
     * Bits of the pool unit's average-window sums ({@code lowbit_pool_unit} {@code SW}):
     * {@code activationBits + 12}, enough for every window of up to 2,048 positions at any zero-point
     * ({@code 2048·(2^AW − 1) < 2^(AW + 11)}); the spec allows int32 sums, so a larger window is rejected by
     * {@link #checkPoolWindow} (20 bits for 8-bit codes).
     */
    public int poolSumBits() {
        return activationBits + 12;
    }

    /**
     * Rejects an average pool whose window sums may not fit the pool unit's {@link #poolSumBits()}-bit sums:
     * {@code kernelArea · maxAbsTerm ≤ 2^(SW−1) − 1} must hold, {@code maxAbsTerm} the largest {@code |x − Z_in|}
     * of the input type.
     */
    public void checkPoolWindow(String layer, long kernelArea, long maxAbsTerm) {
        long limit = (1L << (poolSumBits() - 1)) - 1;
        require(kernelArea * maxAbsTerm <= limit, layer + ": an average window of " + kernelArea + " positions with"
                + " |x - Z_in| up to " + maxAbsTerm + " sums to " + kernelArea * maxAbsTerm + " in magnitude, more than"
                + " the pool unit's " + poolSumBits() + "-bit window sums hold (" + limit + "; at most "
                + limit / Math.max(1, maxAbsTerm) + " positions for this input type and zero-point)");
    }

    /** Cycles a window of {@code slots} kernels per module spends in the shared requantizers. */
    public int requantizerCycles(int slots) {
        return (slots + requantizers - 1) / requantizers;
    }

    public int codebookEntries() {
        return 1 << indexBits;
    }

    public int csrWords() {
        return CSR_FIXED_WORDS + codebookEntries();
    }

    public int weightWordBits() {
        return po * pi * indexBits;
    }

    public int biasWordBits() {
        return po * accumulatorBits;
    }

    public int dmaBeatBits() {
        return 8 * dmaBeatBytes;
    }

    /** Bits a word of {@code bits} takes in a DRAM beat: the next power of two ({@code lowbit_dma_ram}). */
    public static int slotBits(int bits) {
        return bits <= 1 ? 1 : Integer.highestOneBit(bits - 1) << 1;
    }

    public int fmWordBits() {
        return pi * activationBits;
    }

    /** Width of a result-memory word and of the host read port: {@code pi} codes of {@code 2·activationBits}. */
    public int resultWordBits() {
        return 2 * fmWordBits();
    }

    /**
     * Feature-map banks per buffer, a power of two: a requantizer batch holds {@code requantizers·po} consecutive
     * output channels of one pixel, which touch at most {@code ⌈(requantizers·po − 1)/pi⌉ + 1} channel groups;
     * with group {@code g} in bank {@code g mod banks} each of them has its own bank and write port, so a batch
     * is written in one cycle, as the requantizers produce it (docs/rtl.md §2).
     */
    public int fmBanks() {
        return 1 << fmBankBits();
    }

    public int fmBankBits() {
        int groups = ceilDiv(requantizers * po - 1, pi) + 1;
        return adderTreeStages(groups);
    }

    /** In-bank address bits: a bank of the larger buffer holds {@code ⌈fmDepth/banks⌉} words, rounded up to a power of two. */
    public int fmBankAddressBits() {
        return addressBits(ceilDiv(Math.max(fmDepth, fmDepth1), fmBanks()));
    }

    /** Words of one bank. */
    public int fmBankDepth() {
        return 1 << fmBankAddressBits();
    }

    /**
     * Words a bank holds: {@code ⌈fmDepth/banks⌉}, the configured capacity (the memories are this deep; the flat
     * index keeps the power-of-two stride {@link #fmBankDepth()}).
     */
    public int fmBankWords() {
        return ceilDiv(fmDepth, fmBanks());
    }

    /** Words a bank of feature-map buffer {@code buffer} (0 or 1) holds. */
    public int fmBankWords(int buffer) {
        return ceilDiv(buffer % 2 == 0 ? fmDepth : fmDepth1, fmBanks());
    }

    /** Width of the host write port: the widest memory word (instructions, weights, biases, descriptors). */
    public int hostWidth() {
        return Math.max(Math.max(INSTRUCTION_BITS, 32 * csrWords()), Math.max(weightWordBits(),
                Math.max(biasWordBits(), fmWordBits())));
    }

    public static int addressBits(int depth) {
        return Math.max(1, adderTreeStages(depth));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
