package io.lowbit.rtl.cosim;

import io.lowbit.accel.sim.LayerTiming;

/**
 * One pool layer run on {@code lowbit_pool_unit} against the integer engine and the simulator.
 *
 * @param layer          node id
 * @param kind           {@code max_pool} or {@code avg_pool}
 * @param elements       output elements compared
 * @param mismatches     elements that differ from {@code ReferenceEngine}
 * @param firstMismatch  the first differing element (channel, row, column, RTL and engine values), or empty
 * @param passes         {@code pool_pass} instructions: 1 (the field name as in {@link LayerCosimResult})
 * @param rtl            the unit's counters ({@code stall} is always 0)
 * @param modelledCycles {@code ⌈C/PI⌉·H_out·W_out·kH·kW + POOL_STAGES}, from the RTL's words
 * @param simulator      {@code ScheduleTimer}'s timing of the layer alone ({@code Pi} channels a cycle, as the RTL)
 * @param buildMillis    Verilator build time (0 when cached)
 * @param runMillis      simulation time
 */
public record PoolCosimResult(String layer, String kind, int elements, int mismatches, String firstMismatch,
        int passes, RtlCycles rtl, long modelledCycles, LayerTiming simulator,
        long buildMillis, long runMillis) implements CosimResult {

    @Override
    public boolean bitExact() {
        return mismatches == 0;
    }

    /**
     * Exactly the modelled cycles: one word per cycle with no bubble, the last write two cycles after the last
     * read is issued, and the simulator's stream and total.
     */
    @Override
    public boolean cyclesAsModelled() {
        return rtl.done() && rtl.cycles() == modelledCycles && rtl.drain() == modelledCycles - rtl.stream()
                && rtl.stall() == 0 && rtl.lastWrite() + 1 == rtl.cycles()
                && rtl.cycles() == simulator.cycles() && rtl.stream() == simulator.streamCycles();
    }

    @Override
    public String summary() {
        return String.format("%s (%s): %d outputs, %d mismatches%s; RTL %d cycles (stream %d, drain %d) vs"
                + " simulator %d (stream %d, drain %d); build %d ms, run %d ms", layer, kind, elements, mismatches,
                firstMismatch.isEmpty() ? "" : " (first: " + firstMismatch + ")", rtl.cycles(), rtl.stream(),
                rtl.drain(), simulator.cycles(), simulator.streamCycles(), simulator.drainCycles(), buildMillis,
                runMillis);
    }
}
