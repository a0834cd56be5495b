package io.lowbit.rtl.synth;

import java.util.Map;
import java.util.TreeMap;

/**
 * Resources of one Yosys synthesis run (7-series cells, out of context: no I/O buffers). Plain numbers, so the record
 * serializes to JSON as is.
 *
 * @param top       synthesized module
 * @param family    Yosys {@code -family}
 * @param dsp       whether multipliers may use DSP48E1 ({@code false}: {@code -nodsp}, LUT multipliers as the paper)
 * @param po        conv modules (0 for the pool unit)
 * @param pi        RCAs per module (the pool unit: channels per word)
 * @param pes       PEs per RCA (0 for the pool unit)
 * @param luts      LUT1..LUT6
 * @param flipFlops FDRE/FDSE/FDCE/FDPE
 * @param dsps      DSP48E1
 * @param bram36    block RAM in RAMB36 equivalents (RAMB36E1 + RAMB18E1 / 2)
 * @param lutrams   distributed RAM cells (RAM32M, RAM64M, RAM*X1*)
 * @param srls      shift-register LUTs (SRL16E, SRLC32E)
 * @param carries   CARRY4
 * @param cells     every cell type and count of {@code stat}
 * @param seconds   wall time of the Yosys run
 * @param bramByMemory RAMB36 equivalents per group of memories ({@link BramBreakdown}; empty when not measured)
 * @param logicArrivalNs the latest arrival time of Yosys {@code sta} on the mapped netlist with the 7-series cell
 *                  delays of Yosys's {@code cells_sim.v}: logic only, no routing, no setup time, not an Fmax
 *                  ({@code null} when not measured)
 */
public record SynthReport(String top, String family, boolean dsp, int po, int pi, int pes, long luts,
        long flipFlops, long dsps, double bram36, long lutrams, long srls, long carries, Map<String, Long> cells,
        double seconds, Map<String, Double> bramByMemory, Double logicArrivalNs) {

    public SynthReport {
        cells = Map.copyOf(new TreeMap<>(cells));
        bramByMemory = bramByMemory == null ? Map.of() : Map.copyOf(new TreeMap<>(bramByMemory));
    }

    /** Resources only (no per-memory breakdown, no timing estimate). */
    public SynthReport(String top, String family, boolean dsp, int po, int pi, int pes, long luts, long flipFlops,
            long dsps, double bram36, long lutrams, long srls, long carries, Map<String, Long> cells,
            double seconds) {
        this(top, family, dsp, po, pi, pes, luts, flipFlops, dsps, bram36, lutrams, srls, carries, cells, seconds,
                Map.of(), null);
    }

    /** The same report with the per-memory block RAM and the logic-only arrival time. */
    public SynthReport withMemoriesAndTiming(Map<String, Double> byMemory, Double arrivalNs) {
        return new SynthReport(top, family, dsp, po, pi, pes, luts, flipFlops, dsps, bram36, lutrams, srls, carries,
                cells, seconds, byMemory, arrivalNs);
    }

    public String summary() {
        return String.format("%s PO=%d PI=%d PES=%d %s%s: %d LUT, %d FF, %d DSP, %.1f BRAM36, %d LUTRAM, %d SRL"
                + " (%.0f s)", top, po, pi, pes, family, dsp ? "" : " -nodsp", luts, flipFlops, dsps, bram36, lutrams,
                srls, seconds) + (logicArrivalNs == null ? "" : String.format(", logic-only arrival %.2f ns",
                logicArrivalNs)) + (bramByMemory.isEmpty() ? "" : ", BRAM36 by memory " + bramByMemory);
    }
}
