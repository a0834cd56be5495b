package io.lowbit.rtl.cosim;

import io.lowbit.accel.sim.LayerTiming;

/**
 * One layer run on the RTL against the integer engine and the simulator.
 *
 * @param layer             node id
 * @param elements          output elements compared
 * @param mismatches        elements that differ from {@code ReferenceEngine}
 * @param firstMismatch     the first differing element (channel, row, column, RTL and engine values), or empty
 * @param passes            conv passes executed
 * @param rtl               the RTL's cycle counters
 * @param simulator         {@code ScheduleTimer}'s timing of the layer run alone (weights in the bank, preloaded)
 * @param firstPreload      the first pass's preload cycles the RTL exposes: {@code slots·T} when nothing runs
 *                          before the layer (a single layer, a network's first conv layer), 0 when the preload
 *                          overlapped the previous conv layer's last pass (a network's later conv layers)
 * @param expectedRtlDrain  the RTL's drain by construction: {@code ⌈log2 Pi⌉ + 4}, plus the last window's extra
 *                          requantizer cycles ({@link LayerImages#lastPassRequantizerTail()}, docs/rtl.md)
 * @param simulatorDrainExcess  {@code simulator drain − RTL drain = taps − 1}: the simulator's chain latency
 *                          ({@code taps}) which a transposed-FIR chain does not have, minus the RTL's feature-map
 *                          read cycle which the simulator does not count
 * @param buildMillis       Verilator build time (0 when cached)
 * @param runMillis         simulation time
 */
public record LayerCosimResult(String layer, int elements, int mismatches, String firstMismatch, int passes,
        RtlCycles rtl, LayerTiming simulator, long firstPreload, long expectedRtlDrain, long simulatorDrainExcess,
        long buildMillis, long runMillis) implements CosimResult {

    @Override
    public boolean bitExact() {
        return mismatches == 0;
    }

    /**
     * The RTL took exactly the cycles the timing model predicts, with the stated differences: the same stream
     * cycles, the simulator's stalls plus the first preload, and the RTL's drain.
     */
    @Override
    public boolean cyclesAsModelled() {
        return rtl.done() && rtl.stream() == simulator.streamCycles()
                && rtl.stall() == simulator.stallCycles() + firstPreload
                && rtl.drain() == expectedRtlDrain
                && simulator.drainCycles() - rtl.drain() == simulatorDrainExcess
                && rtl.lastWrite() + 1 + rtl.storeWait() == rtl.cycles();
    }

    @Override
    public String summary() {
        return String.format("%s: %d outputs, %d mismatches%s; %d passes; RTL %d cycles (%sstream %d, stall %d, drain"
                + " %d) vs simulator %d (stream %d, stall %d, drain %d); first preload %d; build %d ms, run %d ms",
                layer, elements, mismatches, firstMismatch.isEmpty() ? "" : " (first: " + firstMismatch + ")", passes,
                rtl.cycles(), (rtl.weightWait() > 0 ? "DMA wait " + rtl.weightWait() + ", " : "")
                        + (rtl.storeWait() > 0 ? "store wait " + rtl.storeWait() + ", " : ""), rtl.stream(),
                rtl.stall(), rtl.drain(), simulator.cycles(), simulator.streamCycles(),
                simulator.stallCycles(), simulator.drainCycles(), firstPreload, buildMillis, runMillis);
    }
}
