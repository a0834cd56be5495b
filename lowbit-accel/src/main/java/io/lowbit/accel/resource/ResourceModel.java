package io.lowbit.accel.resource;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resources of a configuration's conv unit as a sum of per-component terms, each a structural count (how many
 * multipliers, PE positions, tree adders, kernel slots, segment-end mux inputs, requantizers, modules) times a
 * coefficient fitted to Yosys runs ({@link ResourceFit}, samples in {@code bench/results/resource-calibration.json}).
 * Block RAMs and DSPs are counted, not fitted: the psum banks' depths are known (slot {@code s} of a module holds
 * {@code entries/(s+1)} sums, one 18 Kb block per 512 entries of up to 36 bits, as Yosys maps them; banks of at most
 * 64 entries are LUT RAM) and each codebook product is one DSP when DSPs are used. Counts are scaled by the bit widths
 * relative to the calibrated 8-bit datapath, so other widths are an extrapolation.
 *
 * <p>The terms follow the RTL of 2026-12-02 (docs/rtl.md §4): the adder tree over a module's {@code Pi} RCAs is its
 * own term ({@code Pi − 1} adders per PE position for LUTs, its pipeline registers for flip-flops), because with
 * {@code Pi = 1} it has no adder and no register stage; a pipelined tree ({@code Pi > 1}) also needs a second bias
 * copy per slot ({@code bias_a}, {@code ACCW} flip-flops, no logic); and a slot's segment-end mux grows with its
 * {@code ⌊PES/(s+1)⌋} candidate positions, so the per-slot logic is superlinear in {@code PES} (binary mux trees since
 * the per-slot psum path was trimmed). A term that has no LUTs (the bias copy) or no flip-flops (the segment-end
 * muxes) has a zero feature there. The "module control" feature came out 0 LUTs and 2.8 flip-flops (the per-slot
 * terms absorb it; the bias copy came out 29 flip-flops per slot for its 32 bits); it stays so that a refit with
 * other samples can use it.
 *
 * @param lut LUT coefficient per feature ({@link #FEATURES})
 * @param ff  flip-flop coefficient per feature
 */
public record ResourceModel(double[] lut, double[] ff) {

    /** Feature names, in coefficient order. */
    public static final List<String> FEATURES = List.of("codebook products", "product selects",
            "adder trees (over the RCAs)", "bias staging (pipelined trees)",
            "kernel slots (chain stage, psum read-modify-write, bias, held sums)", "segment ends (slot muxes)",
            "requantizers", "module control", "unit control");

    /**
     * Coefficients fitted by {@link ResourceFit#fit} to the samples of {@code bench/results/resource-calibration.json}
     * (checked by {@code ResourceModelCalibrationTest}).
     */
    public static final ResourceModel CALIBRATED = new ResourceModel(
            new double[] {139.4398, 17.7801, 19.0897, 0.0000, 53.8211, 33.1855, 180.0804, 0.0000, 471.5852},
            new double[] {0.0000, 15.4947, 8.4286, 29.1943, 136.1805, 0.0000, 12.7340, 2.8153, 186.3066});

    public ResourceModel {
        lut = lut.clone();
        ff = ff.clone();
        if (lut.length != FEATURES.size() || ff.length != FEATURES.size()) {
            throw new IllegalArgumentException("need " + FEATURES.size() + " coefficients each");
        }
    }

    @Override
    public double[] lut() {
        return lut.clone();
    }

    @Override
    public double[] ff() {
        return ff.clone();
    }

    /**
     * The estimate for the configuration's PE style and multipliers. The coefficients were fitted to
     * {@code codebook-select} designs; for {@code multiplier} PEs the same per-multiplier and per-PE coefficients are
     * applied to their counts (checked against Yosys hold-outs, docs/accelerator.md §6–7).
     */
    public ResourceEstimate estimate(AcceleratorConfig c) {
        long[] counts = counts(c);
        double[] lf = lutFeatures(c);
        double[] ff = ffFeatures(c);
        List<ResourceTerm> terms = new ArrayList<>();
        for (int i = 0; i < FEATURES.size(); i++) {
            terms.add(new ResourceTerm(FEATURES.get(i), counts[i], new Resources(Math.round(lut[i] * lf[i]),
                    Math.round(this.ff[i] * ff[i]), i == 0 ? c.dspSlices() : 0, 0)));
        }
        if (c.multipliers() == Multipliers.DSP_PACKED) {
            terms.add(packingCorrection(c));
        }
        terms.add(new ResourceTerm("psum banks", (long) c.convModules() * c.pesPerRca(), psumBanks(c)));
        boolean calibrated = true;
        if (c.dataflow() == Dataflow.LINE_BUFFER) {
            terms.add(lineBuffers(c));
            calibrated = false;
        }
        Resources total = terms.stream().map(ResourceTerm::resources).reduce(Resources.ZERO, Resources::plus);
        return new ResourceEstimate(c.name(), c.multipliers().usesDsp(), terms, total, outsideBuffers(c), calibrated);
    }

    /**
     * Structural counts behind the features: multipliers, PE positions, tree adders ({@code Pi − 1} per position of a
     * module), PE positions behind a pipelined tree ({@code Pi > 1}), slots, segment-end mux inputs beyond the first
     * per slot ({@code Σ_s ⌊PES/(s+1)⌋ − PES} per module), requantizers, modules, 1.
     */
    static long[] counts(AcceleratorConfig c) {
        long po = c.convModules();
        long pi = c.rcasPerModule();
        long pes = c.pesPerRca();
        return new long[] {c.multiplierCount(), po * pi * pes, po * pes * (pi - 1), pi > 1 ? po * pes : 0, po * pes,
            po * (segmentCandidates(c.pesPerRca()) - pes), po * c.requantizersPerModule(), po, 1};
    }

    /** Candidate positions of all slots' segment ends in a module: slot {@code s} ends at ⌊PES/(s+1)⌋ of them. */
    static long segmentCandidates(int pes) {
        long n = 0;
        for (int s = 0; s < pes; s++) {
            n += pes / (s + 1);
        }
        return n;
    }

    /**
     * Registers of the pipelined adder tree over {@code pi} inputs ({@code lowbit_adder_tree}): level {@code l} holds
     * {@code ⌈pi/2^l⌉} values, {@code ⌈log2 pi⌉} levels; none for {@code pi = 1}.
     */
    static long treeRegisters(long pi) {
        long n = 0;
        for (long width = pi; width > 1; ) {
            width = (width + 1) / 2;
            n += width;
        }
        return n;
    }

    /** LUT features: the counts scaled by the widths that set each component's LUTs. */
    static double[] lutFeatures(AcceleratorConfig c) {
        long[] n = counts(c);
        double product = (c.activationBits() + 1) * c.weightBits() / 72.0; // 9×8-bit multipliers calibrated
        // a PE selects a product (codebook-select) or decodes its weight (multiplier) with a 2^b:1 mux; the
        // calibrated 16-bit 4:1 product mux is the unit
        double selectBits = c.peStyle() == PeStyle.CODEBOOK_SELECT ? c.activationBits() + c.weightBits()
                : c.weightBits();
        double select = selectBits / 16.0 * (levels(c) - 1) / 3.0;
        double sum = (c.activationBits() + c.weightBits()) / 16.0; // 16-bit products into the tree
        double acc = c.accumulatorBits() / 32.0;
        return new double[] {c.multipliers().usesDsp() ? 0 : n[0] * product, n[1] * select, n[2] * sum,
            0, // the bias copy is registers with a load enable
            n[4] * acc, n[5] * acc, n[6] * (c.accumulatorBits() + 1) / 33.0, n[7], n[8]};
    }

    /** Flip-flop features: the counts scaled by the widths of the registers of each component. */
    static double[] ffFeatures(AcceleratorConfig c) {
        long[] n = counts(c);
        double product = (c.activationBits() + c.weightBits()) / 16.0;
        double acc = c.accumulatorBits() / 32.0;
        long trees = (long) c.convModules() * c.pesPerRca() * treeRegisters(c.rcasPerModule());
        return new double[] {n[0] * product, n[1] * product, trees * product, n[3] * acc, n[4] * acc,
            0, // the segment-end muxes are combinational
            n[6] * (c.accumulatorBits() + 1) / 33.0, n[7], n[8]};
    }

    /** The features of a sample as fitted: LUT features then flip-flop features. */
    static double[][] features(AcceleratorConfig c) {
        return new double[][] {lutFeatures(c), ffFeatures(c)};
    }

    /**
     * Counted, not fitted: the {@code count − 1} adders of {@code S} bits per packed DSP that undo the borrows
     * ({@link io.lowbit.accel.dsp.DspPacking}), one LUT per adder bit on the carry chain.
     */
    static ResourceTerm packingCorrection(AcceleratorConfig c) {
        long adders = c.packingCorrectionAdders();
        int stride = c.activationBits() + c.weightBits();
        return new ResourceTerm("DSP packing correction", adders, new Resources(adders * stride, 0, 0, 0));
    }

    /** Codebook levels (the select's inputs); 1 for plain weights (no select). */
    private static long levels(AcceleratorConfig c) {
        return 1L << c.weightDecoder().indexBits();
    }

    /** Banks this shallow become LUT RAM (Yosys: a 4 KiB psum sample put its 64-, 60- and 56-entry banks there). */
    static final int LUT_RAM_MAX_DEPTH = 64;

    /**
     * The psum banks: per module one bank per kernel slot, slot {@code s} holding {@code entries/(s+1)} sums
     * (docs/rtl.md §5); a bank is a whole number of 18 Kb blocks (512 × 36 or 1,024 × 18 bits), or, at most
     * {@link #LUT_RAM_MAX_DEPTH} deep, {@code ⌈ACCW/3⌉} RAM64M cells of 4 LUTs each.
     */
    static Resources psumBanks(AcceleratorConfig c) {
        int entries = c.psumEntriesPerModule();
        int perBlock = c.accumulatorBits() <= 18 ? 1024 : 512;
        long halves = 0;
        long luts = 0;
        for (int s = 0; s < c.pesPerRca(); s++) {
            int depth = Math.max(1, entries / (s + 1));
            if (depth <= LUT_RAM_MAX_DEPTH) {
                luts += 4L * ((c.accumulatorBits() + 2) / 3);
            } else {
                halves += (depth + perBlock - 1) / perBlock;
            }
        }
        return new Resources(c.convModules() * luts, 0, 0, c.convModules() * halves / 2.0);
    }

    /** Feature-map buffers and weight banks (outside the conv unit): whole 36 Kb blocks per buffer. */
    static Resources outsideBuffers(AcceleratorConfig c) {
        BufferSizes b = c.buffers();
        int blocks = b.bram36Blocks(c.convModules()) - c.convModules() * blocks(b.psumBytesPerModule());
        return new Resources(0, 0, 0, blocks);
    }

    /**
     * Line buffers (no RTL yet, so not calibrated): per module {@code 2·⌊pes/9⌋} rows (a 3×3 kernel slot joins its
     * three kernel rows by two FIFOs) of {@code lineBufferWidth} accumulators after the module's single chain; each
     * FIFO one 18 Kb block, and about one LUT and one flip-flop per accumulator bit for the join adders and the
     * FIFO's read path.
     */
    static ResourceTerm lineBuffers(AcceleratorConfig c) {
        long rows = (long) c.convModules() * 2 * Math.max(1, c.pesPerRca() / 9);
        long perRowBlocks = (c.lineBufferWidth() + 511) / 512;
        return new ResourceTerm("line buffers (uncalibrated)", rows, new Resources(rows * c.accumulatorBits() * 2,
                rows * c.accumulatorBits(), 0, rows * perRowBlocks / 2.0));
    }

    private static int blocks(int bytes) {
        return (bytes + BufferSizes.BRAM36_DATA_BYTES - 1) / BufferSizes.BRAM36_DATA_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceModel m && Arrays.equals(lut, m.lut) && Arrays.equals(ff, m.ff);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lut) + Arrays.hashCode(ff);
    }

    @Override
    public String toString() {
        return "ResourceModel[lut=" + Arrays.toString(lut) + ", ff=" + Arrays.toString(ff) + "]";
    }
}
