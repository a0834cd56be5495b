package io.lowbit.accel.sim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.compile.RcaMapping;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.Dataflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Times a program cycle by cycle at the granularity of unit activities ({@code docs/accelerator.md} §4): the DMA
 * engine moves one transfer at a time; a weight bank is refilled only after the last pass reading it has preloaded
 * its PEs; each conv pass first preloads its kernels into the PEs' shadow weight registers (one PE per cycle per RCA,
 * overlapping the previous pass's stream), then streams {@code W_out·kW·((rows − 1)·s + kH)} input pixels, one per
 * cycle (a DRAM-resident input's rows must have arrived in their half of the input buffer); its partial sums leave the pipeline {@code taps + ⌈log2 Pi⌉ + 1 (+2 when it requantizes)} cycles after its
 * last input. A pass that requantizes (the last over its output channels) sends each window's {@code slots}
 * outputs per module through {@code R} shared requantizers in {@code q = ⌈slots/R⌉} cycles
 * ({@link RequantizerSpacing}): its windows are issued at least {@code q} cycles apart (bubbles in the stream,
 * counted as stall) and its last window's outputs are written {@code q − 1} cycles later than one requantizer per
 * slot would. A layer starts after the previous one's last output is written (the buffers swap per layer). Timing
 * does not depend on the data: the design does not skip zero weights.
 */
public final class ScheduleTimer {

    /** Read-modify-write of the psum buffer after the adder tree. */
    public static final int PSUM_STAGES = 1;
    /** Shift (or multiply-shift), clamp and output write. */
    public static final int REQUANTIZE_STAGES = 2;
    /** Pool unit pipeline: compare/add, then write. */
    public static final int POOL_STAGES = 2;

    private ScheduleTimer() {
    }

    public static Timing time(Program program, AcceleratorConfig config) {
        if (!program.accelerator().equals(config.name())) {
            throw new IllegalArgumentException("the program was compiled for '" + program.accelerator() + "', not '"
                    + config.name() + "'");
        }
        return new Clock(program, config).run();
    }

    /**
     * Stream cycles of one conv pass over {@code rows} output rows: strip dataflow {@code W_out·kW·((rows − 1)·s +
     * kH)} (a {@code kW}-wide strip per output column); line-buffer dataflow {@code W_padded·((rows − 1)·s + kH)}
     * (whole padded rows, once).
     */
    public static long passStreamCycles(LayerPlan plan, int rows, Dataflow dataflow) {
        RcaMapping m = plan.mapping();
        long inRows = (long) (rows - 1) * plan.window().strideH() + m.kernelH();
        if (dataflow == Dataflow.LINE_BUFFER) {
            return paddedWidth(plan) * inRows;
        }
        return (long) plan.output().width() * m.kernelW() * inRows;
    }

    /** Input row width with left and right padding. */
    public static long paddedWidth(LayerPlan plan) {
        return (long) plan.input().width() + plan.window().padLeft() + plan.window().padRight();
    }

    /**
     * {@code Pi} channels per cycle per window position: the pool unit reads as many channels a cycle as a conv
     * module's {@code Pi} RCAs do (the RTL's {@code lowbit_pool_unit} has {@code PI} lanes; the paper's 4 are a
     * 32-bit word of 4 channels).
     */
    public static long poolStreamCycles(LayerPlan plan, AcceleratorConfig config) {
        int lanes = config.rcasPerModule();
        long words = (plan.output().channels() + lanes - 1) / lanes;
        return words * plan.output().height() * plan.output().width() * plan.window().kernelArea();
    }

    private static final class Clock {
        private final Program program;
        private final AcceleratorConfig config;
        private final List<LayerTiming> layers = new ArrayList<>();
        private long dmaFree;
        private final long[] bankReady = new long[2];
        private final long[] bankFree = new long[2];
        private final long[] rowsReady = new long[2];
        private final long[] slotFree = new long[2];
        private long unitFree;
        private long preloadFree;
        private long lastPassStart;
        private long requantizerFree;
        private long prevLayerEnd;
        private long inputLoadCycles;
        private long outputStoreCycles;
        private long dramBytes;
        private long total;
        // the layer being timed
        private LayerPlan plan;
        private int passes;
        private long start = -1;
        private long end;
        private long stream;
        private long stall;
        private long layerDram;
        private long storeEnd;

        Clock(Program program, AcceleratorConfig config) {
            this.program = program;
            this.config = config;
        }

        Timing run() {
            for (Instruction ins : program.instructions()) {
                if (ins instanceof Instruction.LoadInput li) {
                    dmaFree = config.dma().transferCycles(li.bytes());
                    inputLoadCycles = dmaFree;
                    prevLayerEnd = dmaFree;
                    unitFree = dmaFree;
                    dramBytes += li.bytes();
                } else if (ins instanceof Instruction.LoadWeights lw) {
                    enter(lw.layer());
                    long s = Math.max(dmaFree, bankFree[lw.bank()]);
                    dmaFree = s + config.dma().transferCycles(lw.bytes());
                    bankReady[lw.bank()] = dmaFree;
                    layerDram += lw.bytes();
                } else if (ins instanceof Instruction.LoadRows lr) {
                    enter(lr.layer());
                    long s = Math.max(dmaFree, slotFree[lr.slot()]);
                    dmaFree = s + config.dma().transferCycles(lr.bytes());
                    rowsReady[lr.slot()] = dmaFree;
                    layerDram += lr.bytes();
                } else if (ins instanceof Instruction.StoreRows sr) {
                    enter(sr.layer());
                    long s = Math.max(dmaFree, end);
                    dmaFree = s + config.dma().transferCycles(sr.bytes());
                    storeEnd = dmaFree;
                    layerDram += sr.bytes();
                } else if (ins instanceof Instruction.ConvPass cp) {
                    enter(cp.layer());
                    convPass(cp);
                } else if (ins instanceof Instruction.PoolPass pp) {
                    enter(pp.layer());
                    long s = Math.max(unitFree, prevLayerEnd);
                    long cycles = poolStreamCycles(plan, config);
                    start = s;
                    stream += cycles;
                    unitFree = s + cycles;
                    end = unitFree + POOL_STAGES;
                    passes++;
                } else if (ins instanceof Instruction.SwapBuffers sb) {
                    enter(sb.layer());
                    finishLayer();
                } else if (ins instanceof Instruction.StoreOutput so) {
                    long s = Math.max(dmaFree, prevLayerEnd);
                    total = s + config.dma().transferCycles(so.bytes());
                    outputStoreCycles = total - prevLayerEnd;
                    dramBytes += so.bytes();
                }
            }
            long macs = layers.stream().mapToLong(LayerTiming::macs).sum();
            long analytic = config.dma().transferCycles(program.instructions(Instruction.LoadInput.class).get(0)
                    .bytes()) + layers.stream().mapToLong(LayerTiming::analyticCycles).sum() + outputStoreCycles;
            return new Timing(config.name(), config.clockMHz(), config.peakMacsPerCycle(), total, inputLoadCycles,
                    outputStoreCycles, dramBytes, macs, analytic, layers);
        }

        private void convPass(Instruction.ConvPass cp) {
            RcaMapping m = plan.mapping();
            int taps = m.chunkTaps(cp.chunk());
            long preloadStart = Math.max(bankReady[cp.bank()], Math.max(preloadFree, lastPassStart));
            long preloadEnd = preloadStart + (long) m.slots() * taps;
            preloadFree = preloadEnd;
            bankFree[cp.bank()] = Math.max(bankFree[cp.bank()], preloadEnd);
            long ideal = Math.max(unitFree, prevLayerEnd);
            long s = Math.max(ideal, preloadEnd);
            if (cp.inputSlot() >= 0) {
                s = Math.max(s, rowsReady[cp.inputSlot()]);
            }
            int q = cp.last() ? config.requantizerCycles(m.slots()) : 1;
            RequantizerSpacing spacing = q > 1 ? new RequantizerSpacing(plan, cp.rows(), taps, chunkOffset(m,
                    cp.chunk()), q) : null;
            if (spacing != null && spacing.firstWindowOffset() == 0) {
                s = Math.max(s, requantizerFree); // the first pixel is such a window: the pass waits to start
            }
            if (start < 0) {
                start = s;
            }
            long cycles = passStreamCycles(plan, cp.rows(), config.dataflow());
            long bubbles = 0;
            long latency = taps + config.adderTreeStages() + PSUM_STAGES + (cp.last() ? REQUANTIZE_STAGES : 0);
            if (spacing != null) {
                long lastWindow = spacing.issue(s, requantizerFree);
                bubbles = spacing.bubbles();
                requantizerFree = lastWindow + q;
                end = Math.max(end, lastWindow + 1 + latency + q - 1);
            }
            stall += s - ideal + bubbles;
            stream += cycles;
            unitFree = s + cycles + bubbles;
            lastPassStart = s;
            if (cp.inputSlot() >= 0) {
                slotFree[cp.inputSlot()] = Math.max(slotFree[cp.inputSlot()], unitFree);
            }
            end = Math.max(end, unitFree + latency);
            passes++;
        }

        /** Taps of the kernel after chunk {@code c}: its partial window ends that many pixels early. */
        private static int chunkOffset(RcaMapping m, int c) {
            return m.taps() - m.chunkStart(c) - m.chunkTaps(c);
        }

        private void enter(String layer) {
            if (plan == null || !plan.layer().equals(layer)) {
                plan = program.layer(layer);
                passes = 0;
                start = -1;
                end = 0;
                stream = 0;
                stall = 0;
                layerDram = 0;
                storeEnd = 0;
            }
        }

        private void finishLayer() {
            end = Math.max(end, storeEnd);
            long cycles = end - prevLayerEnd;
            long drain = cycles - stream - stall;
            dramBytes += layerDram;
            boolean first = layers.isEmpty();
            boolean last = layers.size() == program.layers().size() - 1;
            long io = (first ? program.instructions(Instruction.LoadInput.class).get(0).bytes() : 0)
                    + (last && !plan.outputInDram() ? plan.outputBytes() : 0);
            layers.add(new LayerTiming(plan.layer(), plan.kind(), plan.isConv() ? plan.mapping().toString() : "",
                    plan.macs(), passes, start, end, cycles, stream, stall, drain, layerDram + io,
                    AnalyticEstimate.layerCycles(plan, config), config.peakMacsPerCycle()));
            prevLayerEnd = end;
            unitFree = Math.max(unitFree, end);
        }
    }
}
