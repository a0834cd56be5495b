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
 */
public record SynthReport(String top, String family, boolean dsp, int po, int pi, int pes, long luts,
        long flipFlops, long dsps, double bram36, long lutrams, long srls, long carries, Map<String, Long> cells,
        double seconds) {

    public SynthReport {
        cells = Map.copyOf(new TreeMap<>(cells));
    }

    public String summary() {
        return String.format("%s PO=%d PI=%d PES=%d %s%s: %d LUT, %d FF, %d DSP, %.1f BRAM36, %d LUTRAM, %d SRL"
                + " (%.0f s)", top, po, pi, pes, family, dsp ? "" : " -nodsp", luts, flipFlops, dsps, bram36, lutrams,
                srls, seconds);
    }
}
