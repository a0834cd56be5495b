package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.lowbit.accel.dsp.DspPacking;
import io.lowbit.accel.dsp.DspSlice;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One accelerator design (paper Fig. 5–10): {@code convModules} conv modules work on different output channels (output
 * parallelism), each with {@code rcasPerModule} reconfigurable convolution arrays (RCAs) on different input channels
 * (input parallelism), each a chain of {@code pesPerRca} multiply-add PEs that holds one or more kernels. Immutable;
 * the compiler, the simulator and the RTL generator all read the same instance. Fields and units:
 * {@code docs/accelerator.md} §1.
 *
 * @param name            identifier, e.g. {@code pynq-z2-clipq}
 * @param description     one line for reports
 * @param convModules     output-channel parallelism {@code Po}
 * @param rcasPerModule   input-channel parallelism {@code Pi}
 * @param pesPerRca       PEs in one RCA chain (25 = a 5×5 kernel)
 * @param activationBits  feature-map code width (one byte per code in the buffers, so ≤ 8)
 * @param weightBits      width of a weight (codebook level or plain code) at the multiplier
 * @param accumulatorBits width of the adder tree, accumulator and partial sums
 * @param weightDecoder   codebook (index + levels) or plain weights
 * @param requantizer     what the requantization unit can do
 * @param buffers         on-chip buffer sizes
 * @param clockMHz        clock frequency
 * @param dma             DRAM transfer model
 * @param dataflow        RCA dataflow; {@code strip} (the paper) when absent
 * @param lineBufferWidth line-buffer dataflow only: the widest padded input row the partial-sum line buffers hold
 * @param requantizersPerModule requantizers of a conv module, shared by its kernel slots: a window's {@code slots}
 *                        outputs leave in {@code ⌈slots/R⌉} cycles; {@code pesPerRca} (one per slot) when absent
 * @param peStyle         how a PE forms its product; {@code codebook-select} when absent with a codebook decoder,
 *                        {@code multiplier} with plain weights
 * @param multipliers     LUT, DSP or packed-DSP multipliers; {@code dsp} when absent
 */
@JsonPropertyOrder({"name", "description", "convModules", "rcasPerModule", "pesPerRca", "activationBits", "weightBits",
    "accumulatorBits", "weightDecoder", "requantizer", "buffers", "clockMHz", "dma", "dataflow", "lineBufferWidth",
    "requantizersPerModule", "peStyle", "multipliers"})
public record AcceleratorConfig(String name, String description, int convModules, int rcasPerModule, int pesPerRca,
        int activationBits, int weightBits, int accumulatorBits, WeightDecoder weightDecoder,
        RequantizerKind requantizer, BufferSizes buffers, double clockMHz, DmaConfig dma, Dataflow dataflow,
        int lineBufferWidth, int requantizersPerModule, PeStyle peStyle, Multipliers multipliers) {

    /** A strip-dataflow design (the paper's). */
    public AcceleratorConfig(String name, String description, int convModules, int rcasPerModule, int pesPerRca,
            int activationBits, int weightBits, int accumulatorBits, WeightDecoder weightDecoder,
            RequantizerKind requantizer, BufferSizes buffers, double clockMHz, DmaConfig dma) {
        this(name, description, convModules, rcasPerModule, pesPerRca, activationBits, weightBits, accumulatorBits,
                weightDecoder, requantizer, buffers, clockMHz, dma, Dataflow.STRIP, 0, 0, null, null);
    }

    /** A design with one requantizer per kernel slot. */
    public AcceleratorConfig(String name, String description, int convModules, int rcasPerModule, int pesPerRca,
            int activationBits, int weightBits, int accumulatorBits, WeightDecoder weightDecoder,
            RequantizerKind requantizer, BufferSizes buffers, double clockMHz, DmaConfig dma, Dataflow dataflow,
            int lineBufferWidth) {
        this(name, description, convModules, rcasPerModule, pesPerRca, activationBits, weightBits, accumulatorBits,
                weightDecoder, requantizer, buffers, clockMHz, dma, dataflow, lineBufferWidth, 0, null, null);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}");

    public AcceleratorConfig {
        InvalidConfigException.require(name != null && NAME.matcher(name).matches(), "name '" + name
                + "' must be 1..64 characters of [A-Za-z0-9_.-] starting with a letter or digit");
        description = description == null ? "" : description;
        InvalidConfigException.inRange(convModules, 1, 256, "convModules");
        InvalidConfigException.inRange(rcasPerModule, 1, 256, "rcasPerModule");
        InvalidConfigException.inRange(pesPerRca, 1, 1024, "pesPerRca");
        InvalidConfigException.inRange(activationBits, 2, 8, "activationBits");
        InvalidConfigException.inRange(weightBits, 2, 16, "weightBits");
        InvalidConfigException.inRange(accumulatorBits, 8, 32, "accumulatorBits");
        InvalidConfigException.require(weightDecoder != null, "weightDecoder is missing");
        InvalidConfigException.require(requantizer != null, "requantizer is missing (shift or multiplier)");
        InvalidConfigException.require(buffers != null, "buffers is missing");
        InvalidConfigException.require(dma != null, "dma is missing");
        InvalidConfigException.require(Double.isFinite(clockMHz) && clockMHz > 0 && clockMHz <= 2000,
                "clockMHz = " + clockMHz + " must be in (0, 2000]");
        Objects.requireNonNull(name);
        dataflow = dataflow == null ? Dataflow.STRIP : dataflow;
        if (dataflow == Dataflow.LINE_BUFFER) {
            InvalidConfigException.inRange(lineBufferWidth, 1, 1 << 16, "lineBufferWidth");
        } else {
            InvalidConfigException.require(lineBufferWidth == 0, "lineBufferWidth belongs to the line-buffer"
                    + " dataflow (\"dataflow\": \"line-buffer\")");
        }
        // absent (0): one requantizer per kernel slot, so no window ever waits for one
        requantizersPerModule = requantizersPerModule == 0 ? pesPerRca : requantizersPerModule;
        InvalidConfigException.inRange(requantizersPerModule, 1, pesPerRca, "requantizersPerModule");
        InvalidConfigException.require(dataflow == Dataflow.STRIP || requantizersPerModule == pesPerRca,
                "requantizersPerModule < pesPerRca is modelled for the strip dataflow only");
        peStyle = peStyle != null ? peStyle
                : weightDecoder.kind() == WeightDecoder.Kind.CODEBOOK ? PeStyle.CODEBOOK_SELECT : PeStyle.MULTIPLIER;
        InvalidConfigException.require(peStyle == PeStyle.MULTIPLIER || weightDecoder.kind() == WeightDecoder.Kind
                .CODEBOOK, "peStyle codebook-select selects among codebook products: it needs a codebook"
                + " weightDecoder (plain weights: \"peStyle\": \"multiplier\")");
        multipliers = multipliers == null ? Multipliers.DSP : multipliers;
        if (multipliers == Multipliers.DSP_PACKED) {
            int perDsp = DspPacking.maxCount(DspSlice.DSP48E1, activationBits + 1, weightBits);
            InvalidConfigException.require(perDsp >= 2, "multipliers dsp-packed: a DSP48E1 holds only " + perDsp
                    + " product of a " + (activationBits + 1) + "-bit input and a " + weightBits + "-bit weight"
                    + " (use dsp)");
        }
    }

    /**
     * The same design with another datapath shape and buffers (design-space exploration); everything else (widths,
     * decoder, clock, DMA) is kept. {@code lineBufferWidth} is ignored for the strip dataflow.
     */
    public AcceleratorConfig withDatapath(String newName, int modules, int rcas, int pes, int requantizers,
            BufferSizes newBuffers, Dataflow newDataflow, int newLineBufferWidth) {
        return new AcceleratorConfig(newName, description, modules, rcas, pes, activationBits, weightBits,
                accumulatorBits, weightDecoder, requantizer, newBuffers, clockMHz, dma, newDataflow,
                newDataflow == Dataflow.LINE_BUFFER ? newLineBufferWidth : 0, requantizers, peStyle, multipliers);
    }

    /** The same design at another clock. */
    public AcceleratorConfig withClock(double mhz) {
        return new AcceleratorConfig(name, description, convModules, rcasPerModule, pesPerRca, activationBits,
                weightBits, accumulatorBits, weightDecoder, requantizer, buffers, mhz, dma, dataflow, lineBufferWidth,
                requantizersPerModule, peStyle, multipliers);
    }

    /** The same design with another PE style and multiplier mapping (same outputs and cycles). */
    public AcceleratorConfig withMultipliers(String newName, PeStyle style, Multipliers mapping) {
        return new AcceleratorConfig(newName, description, convModules, rcasPerModule, pesPerRca, activationBits,
                weightBits, accumulatorBits, weightDecoder, requantizer, buffers, clockMHz, dma, dataflow,
                lineBufferWidth, requantizersPerModule, style, mapping);
    }

    /**
     * Products per DSP slice: the densest {@link DspPacking} of a centred input ({@code activationBits + 1}) and a
     * weight for {@code dsp-packed}, else 1. The RTL packs for the DSP48E1's 25×18 multiplier (also valid on a
     * DSP48E2).
     */
    @JsonIgnore
    public int productsPerDsp() {
        return multipliers == Multipliers.DSP_PACKED
                ? DspPacking.maxCount(DspSlice.DSP48E1, activationBits + 1, weightBits) : 1;
    }

    /**
     * Multiplications the datapath forms per cycle: {@code Pi·2^b} codebook products ({@code codebook-select}) or one
     * per PE ({@code multiplier}).
     */
    @JsonIgnore
    public long multiplierCount() {
        return peStyle == PeStyle.CODEBOOK_SELECT ? (long) rcasPerModule * weightDecoder.entries()
                : (long) convModules * rcasPerModule * pesPerRca;
    }

    /**
     * DSP slices of the multipliers (0 with LUTs). Packed products share their input: the {@code 2^b} products of one
     * RCA input, or the PEs of one RCA, in groups of {@link #productsPerDsp}.
     */
    @JsonIgnore
    public long dspSlices() {
        return multipliers.usesDsp() ? sharedInputs() * ceilDiv(productsPerInput(), productsPerDsp()) : 0;
    }

    /**
     * Borrow-correction adders of {@code dsp-packed} ({@link DspPacking}): a packed group of {@code g} products
     * needs {@code g − 1}; 0 otherwise.
     */
    @JsonIgnore
    public long packingCorrectionAdders() {
        if (multipliers != Multipliers.DSP_PACKED) {
            return 0;
        }
        int k = productsPerDsp();
        int n = productsPerInput();
        return sharedInputs() * ((long) (n / k) * (k - 1) + Math.max(0, n % k - 1));
    }

    /** Products formed from one broadcast input: the codebook levels, or the PEs of an RCA. */
    private int productsPerInput() {
        return peStyle == PeStyle.CODEBOOK_SELECT ? weightDecoder.entries() : pesPerRca;
    }

    /** Inputs whose products are formed separately: one per RCA position of the unit, or per RCA. */
    private long sharedInputs() {
        return peStyle == PeStyle.CODEBOOK_SELECT ? rcasPerModule : (long) convModules * rcasPerModule;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** PEs of the whole conv unit: the peak multiply-accumulates per cycle. */
    @JsonIgnore
    public int peakMacsPerCycle() {
        return convModules * rcasPerModule * pesPerRca;
    }

    /** Peak GOP/s at the configured clock, 1 MAC = 2 ops. */
    @JsonIgnore
    public double peakGops() {
        return 2.0 * peakMacsPerCycle() * clockMHz / 1000.0;
    }

    /** Bytes of one accumulator in the partial-sum buffer. */
    @JsonIgnore
    public int accumulatorBytes() {
        return (accumulatorBits + 7) / 8;
    }

    /** Partial sums one conv module's buffer holds. */
    @JsonIgnore
    public int psumEntriesPerModule() {
        return buffers.psumBytesPerModule() / accumulatorBytes();
    }

    /**
     * Cycles a window of {@code slots} kernels per module needs in the requantizers: {@code ⌈slots/R⌉}. Windows of
     * a requantizing pass are issued at least this far apart.
     */
    public int requantizerCycles(int slots) {
        return (slots + requantizersPerModule - 1) / requantizersPerModule;
    }

    /** Adder-tree stages after the RCAs of a module: {@code ⌈log2 Pi⌉}. */
    @JsonIgnore
    public int adderTreeStages() {
        return 32 - Integer.numberOfLeadingZeros(rcasPerModule - 1);
    }
}
