package io.lowbit.accel.sim;

import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.config.AcceleratorConfig;

/**
 * The closed-form estimate set beside the simulation ({@code docs/accelerator.md} §4.3): per conv layer
 * {@code max(compute, DMA)} with compute {@code = groups·⌈C_out/G/(Po·slots)⌉·⌈C_in/G/Pi⌉·chunks·W_out·kW·
 * ((H_out − 1)·s + kH)} (strip dataflow; line buffers: {@code W_padded} instead of
 * {@code W_out·kW}), i.e. the stream of an untiled layer without pipeline fill, drain or preload stalls, except that
 * a requantizing pass (one per output-channel group) takes at least {@code H_out·W_out·⌈slots/R⌉} cycles when its
 * windows need {@code ⌈slots/R⌉ > 1} cycles in the {@code R} shared requantizers; pools as
 * the simulator; DMA moves the weights and, for maps in DRAM, the input once per weight tile and the output once
 * (halos ignored). What it leaves out (row-tile halos, drains, stalls, DMA/compute ordering) is the difference reported.
 */
public final class AnalyticEstimate {

    private AnalyticEstimate() {
    }

    public static long layerCycles(LayerPlan plan, AcceleratorConfig config) {
        if (!plan.isConv()) {
            return ScheduleTimer.poolStreamCycles(plan, config);
        }
        var m = plan.mapping();
        long outPerGroup = plan.output().channels() / plan.groups();
        long inPerGroup = plan.input().channels() / plan.groups();
        long outputGroups = plan.groups() * ceilDiv(outPerGroup, (long) config.convModules() * m.slots());
        long passes = outputGroups * ceilDiv(inPerGroup, config.rcasPerModule()) * m.chunks();
        long stream = ScheduleTimer.passStreamCycles(plan, plan.output().height(), config.dataflow());
        long compute = passes * stream;
        int q = config.requantizerCycles(m.slots());
        if (q > 1) {
            long windows = (long) plan.output().height() * plan.output().width();
            compute += outputGroups * Math.max(0, windows * q - stream);
        }
        long dramBytes = plan.weightBytes() + (plan.inputInDram() ? plan.inputBytes() * plan.weightTiles() : 0)
                + (plan.outputInDram() ? plan.outputBytes() : 0);
        long dma = config.dma().transferCycles(dramBytes);
        return Math.max(compute, dma);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
