package io.lowbit.rtl.cosim;

import java.util.List;

/**
 * A whole network run in one simulation of {@code lowbit_accel} with its DMA ({@link NetworkCosim}).
 *
 * @param model          model name
 * @param layers         every conv layer and pool in program order: its output map against the engine's (from the
 *                       buffer dumped when the layer finished) and its unit's counters against the model
 * @param outputElements elements of the network output compared (read from the DRAM after store_output)
 * @param outputMismatches network output elements that differ from {@code ReferenceEngine}
 * @param firstMismatch  the first differing output element, or empty
 * @param rtlCycles      the whole program's cycles (from start to the end of store_output)
 * @param modelledCycles load_input + {@code Σ} every layer's modelled RTL cycles (conv: {@code ScheduleTimer} on the
 *                       layer alone + first preload + RTL drain + its measured weight wait; pool: stream + 2) +
 *                       {@code sequencerCycles} + store_output
 * @param sequencerCycles instruction fetches and unit hand-overs: 2 per conv layer or pool, 1 per {@code layer}
 *                       and {@code swap_buffers} instruction, 1 for the final fetch
 * @param dma            every DMA transfer: the compiler's and the RTL's bytes, its measured and modelled cycles
 * @param simulatorCycles {@code ScheduleTimer} on the whole compiled program (the compiler's byte counts)
 * @param simulatorRtlBytesCycles {@code ScheduleTimer} on the whole program with the RTL's byte counts
 * @param expectedFromSimulator {@code simulatorRtlBytesCycles + sequencerCycles + Σ} per conv layer
 *                       {@code exposed first preload − (T(last) − 1)}, minus {@code slots·T(first) +} the sequencer
 *                       cycles inside the wait for a layer that waits for the DMA at its start, plus 1 for a layer
 *                       whose output is stored by {@code store_rows} (pools: no difference)
 *                       (docs/rtl.md §3, "Cycle relation")
 * @param waitsAsModelled every conv layer's DMA wait is the simulator's minus its first preload and the sequencer
 *                       cycles inside it (0 when the simulator does not wait), a staged output's store wait the
 *                       simulator's store tail + 1, and every pool is not delayed
 * @param buildMillis    Verilator build time (0 when cached)
 * @param runMillis      simulation time
 */
public record NetworkCosimResult(String model, List<CosimResult> layers, int outputElements, int outputMismatches,
        String firstMismatch, long rtlCycles, long modelledCycles, long sequencerCycles, List<Dma> dma,
        long simulatorCycles, long simulatorRtlBytesCycles, long expectedFromSimulator, boolean waitsAsModelled,
        long buildMillis, long runMillis) {

    /**
     * One DMA transfer.
     *
     * @param what          the instruction (and layer, tile)
     * @param compilerBytes bytes the compiler's instruction carries (what {@code ScheduleTimer} charges)
     * @param rtlBytes      bytes the RTL moves: whole beats of words in power-of-two slots, padded passes
     * @param start         program cycle it started
     * @param rtlCycles     cycles it occupied the DMA engine
     * @param modelledCycles {@code latency + ⌈rtlBytes / bytesPerCycle⌉} ({@code DmaConfig.transferCycles})
     */
    public record Dma(String what, long compilerBytes, long rtlBytes, long start, long rtlCycles,
            long modelledCycles) {
    }

    public NetworkCosimResult {
        layers = List.copyOf(layers);
        dma = List.copyOf(dma);
    }

    /** Every layer's output and the network output equal the integer engine's. */
    public boolean bitExact() {
        return outputMismatches == 0 && layers.stream().allMatch(CosimResult::bitExact);
    }

    /**
     * Every layer took its modelled cycles, every DMA transfer {@code latency + beats}, the whole program their sum
     * plus the sequencer's, and that equals {@code ScheduleTimer}'s whole program (RTL byte counts) plus the
     * stated per-layer differences.
     */
    public boolean cyclesAsModelled() {
        return rtlCycles == modelledCycles && rtlCycles == expectedFromSimulator && waitsAsModelled
                && dma.stream().allMatch(d -> d.rtlCycles() == d.modelledCycles())
                && layers.stream().allMatch(CosimResult::cyclesAsModelled);
    }

    public String summary() {
        StringBuilder s = new StringBuilder(String.format("%s: %d layers in one run; output %d elements, %d"
                + " mismatches%s; RTL %d cycles = modelled %d (sequencer %d)%s; simulator (RTL bytes) %d + stated"
                + " differences = %d%s; simulator (compiler bytes) %d; build %d ms, run %d ms", model, layers.size(),
                outputElements, outputMismatches, firstMismatch.isEmpty() ? "" : " (first: " + firstMismatch + ")",
                rtlCycles, modelledCycles, sequencerCycles, rtlCycles == modelledCycles ? "" : " MISMATCH",
                simulatorRtlBytesCycles, expectedFromSimulator, rtlCycles == expectedFromSimulator ? "" : " MISMATCH",
                simulatorCycles, buildMillis, runMillis));
        for (Dma d : dma) {
            s.append(String.format("%n  dma %s: %d B (compiler %d B), start %d, %d cycles (modelled %d)", d.what(),
                    d.rtlBytes(), d.compilerBytes(), d.start(), d.rtlCycles(), d.modelledCycles()));
        }
        for (CosimResult r : layers) {
            s.append("\n  ").append(r.summary());
        }
        return s.toString();
    }
}
