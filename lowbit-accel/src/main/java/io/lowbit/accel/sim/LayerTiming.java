package io.lowbit.accel.sim;

/**
 * Simulated time of one layer: from the end of the previous layer to the cycle its last output is written.
 * {@code cycles = streamCycles + stallCycles + drainCycles}.
 *
 * @param layer          node id
 * @param kind           op kind
 * @param mapping        RCA mapping in words, empty for pools
 * @param macs           multiply-accumulates (padding included)
 * @param passes         conv passes (or 1 for a pool)
 * @param startCycle     cycle the layer's first pass streams its first input
 * @param endCycle       cycle its last output is written
 * @param cycles         layer time ({@code endCycle − previous endCycle})
 * @param streamCycles   cycles the conv (or pool) unit streams inputs
 * @param stallCycles    cycles the unit waits for DMA (weights, input rows) or the PE weight preload
 * @param drainCycles    pipeline drain at the end of the layer, plus the wait for the previous layer
 * @param dramBytes      bytes moved between DRAM and the chip for this layer (weights; rows of DRAM-resident
 *                       maps; input and output for the first and last layer)
 * @param analyticCycles the closed-form estimate ({@link AnalyticEstimate})
 * @param peakMacsPerCycle the design's peak, for utilization
 */
public record LayerTiming(String layer, String kind, String mapping, long macs, int passes, long startCycle,
        long endCycle, long cycles, long streamCycles, long stallCycles, long drainCycles, long dramBytes,
        long analyticCycles, int peakMacsPerCycle) {

    /** Useful MACs per cycle over the peak, in [0, 1]. */
    public double utilization() {
        return cycles == 0 ? 0 : (double) macs / ((double) cycles * peakMacsPerCycle);
    }

    public double macsPerCycle() {
        return cycles == 0 ? 0 : (double) macs / cycles;
    }
}
