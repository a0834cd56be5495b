package io.lowbit.rtl.cosim;

import java.util.List;

/**
 * A whole network run in one simulation of {@code lowbit_accel} ({@link NetworkCosim}).
 *
 * @param model          model name
 * @param layers         every conv layer and pool in program order: its output map against the engine's (from the
 *                       buffer dumped when the layer finished) and its unit's counters against the model
 * @param outputElements elements of the network output compared (read back after the run)
 * @param outputMismatches network output elements that differ from {@code ReferenceEngine}
 * @param firstMismatch  the first differing output element, or empty
 * @param rtlCycles      the sequencer's cycles for the whole program
 * @param modelledCycles {@code Σ} every layer's modelled RTL cycles (conv: {@code ScheduleTimer} on the layer
 *                       alone + first preload + RTL drain; pool: stream + 2) + {@code sequencerCycles}
 * @param sequencerCycles instruction fetches and unit hand-overs: 2 per conv layer or pool, 1 per {@code layer}
 *                       and {@code swap_buffers} instruction, 1 for the final fetch
 * @param simulatorCycles {@code ScheduleTimer} on the whole compiled program (with its DMA and the preloads it
 *                       hides behind the previous layer), for comparison
 * @param simulatorDmaCycles the DMA in {@code simulatorCycles} that the RTL run does not have: input load, output
 *                       store
 * @param buildMillis    Verilator build time (0 when cached)
 * @param runMillis      simulation time
 */
public record NetworkCosimResult(String model, List<CosimResult> layers, int outputElements, int outputMismatches,
        String firstMismatch, long rtlCycles, long modelledCycles, long sequencerCycles, long simulatorCycles,
        long simulatorDmaCycles, long buildMillis, long runMillis) {

    public NetworkCosimResult {
        layers = List.copyOf(layers);
    }

    /** Every layer's output and the network output equal the integer engine's. */
    public boolean bitExact() {
        return outputMismatches == 0 && layers.stream().allMatch(CosimResult::bitExact);
    }

    /** Every layer took its modelled cycles, and the whole program their sum plus the sequencer's. */
    public boolean cyclesAsModelled() {
        return rtlCycles == modelledCycles && layers.stream().allMatch(CosimResult::cyclesAsModelled);
    }

    public String summary() {
        StringBuilder s = new StringBuilder(String.format("%s: %d layers in one run; output %d elements, %d"
                + " mismatches%s; RTL %d cycles = modelled %d (layers %d + sequencer %d)%s; simulator (whole"
                + " program, DMA %d) %d; build %d ms, run %d ms", model, layers.size(), outputElements,
                outputMismatches, firstMismatch.isEmpty() ? "" : " (first: " + firstMismatch + ")", rtlCycles,
                modelledCycles, modelledCycles - sequencerCycles, sequencerCycles,
                rtlCycles == modelledCycles ? "" : " MISMATCH", simulatorDmaCycles, simulatorCycles, buildMillis,
                runMillis));
        for (CosimResult r : layers) {
            s.append("\n  ").append(r.summary());
        }
        return s.toString();
    }
}
