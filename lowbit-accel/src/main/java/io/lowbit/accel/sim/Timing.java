package io.lowbit.accel.sim;

import java.util.List;

/**
 * Simulated time of one image through a compiled network: input DMA, the layers, output DMA. Op counting: 1 MAC = 2
 * ops, MACs of the model including padded positions; GOP/s = 2·MACs / latency. One image at a time: the next image's
 * input load does not overlap this one's layers.
 *
 * @param accelerator       configuration name
 * @param clockMHz          clock
 * @param peakMacsPerCycle  PEs of the conv unit
 * @param totalCycles       from the first input byte read to the last output byte written
 * @param inputLoadCycles   DMA of the input image (with the first layer's weights waiting behind it)
 * @param outputStoreCycles DMA of the output after the last layer
 * @param dramBytes         all DRAM traffic
 * @param macs              multiply-accumulates of the network
 * @param analyticCycles    closed-form estimate of {@code totalCycles} ({@link AnalyticEstimate})
 * @param layers            per layer, in model order
 */
public record Timing(String accelerator, double clockMHz, int peakMacsPerCycle, long totalCycles,
        long inputLoadCycles, long outputStoreCycles, long dramBytes, long macs, long analyticCycles,
        List<LayerTiming> layers) {

    public Timing {
        layers = List.copyOf(layers);
    }

    public double latencySeconds() {
        return totalCycles / (clockMHz * 1e6);
    }

    public double framesPerSecond() {
        return 1.0 / latencySeconds();
    }

    /** Effective GOP/s, 1 MAC = 2 ops. */
    public double gops() {
        return 2.0 * macs / latencySeconds() / 1e9;
    }

    /** Useful MACs per cycle over the peak. */
    public double utilization() {
        return (double) macs / ((double) totalCycles * peakMacsPerCycle);
    }

    /** {@code (analytic − simulated) / simulated}. */
    public double analyticError() {
        return (double) (analyticCycles - totalCycles) / totalCycles;
    }

    public LayerTiming layer(String id) {
        return layers.stream().filter(l -> l.layer().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer '" + id + "'"));
    }
}
