package io.lowbit.rtl.synth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cell counts of the last module listed by Yosys {@code stat} (after {@code -flatten}: the whole design). */
public final class YosysStat {

    private static final Pattern CELL = Pattern.compile("^\\s+(\\$?[A-Za-z_][A-Za-z0-9_$]*)\\s+(\\d+)\\s*$");

    private YosysStat() {
    }

    /** Cell type → count. */
    public static Map<String, Long> cells(String stat) {
        Map<String, Long> cells = new LinkedHashMap<>();
        boolean inCells = false;
        for (String line : stat.split("\\R")) {
            if (line.contains("=== ")) {
                cells.clear(); // a later module (or the design summary) replaces an earlier one
                inCells = false;
            } else if (line.trim().startsWith("Number of cells:")) {
                inCells = true;
            } else if (inCells) {
                Matcher m = CELL.matcher(line);
                if (m.matches()) {
                    cells.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
                } else if (!line.isBlank()) {
                    inCells = false;
                }
            }
        }
        return cells;
    }

    static long sum(Map<String, Long> cells, String regex) {
        Pattern p = Pattern.compile(regex);
        return cells.entrySet().stream().filter(e -> p.matcher(e.getKey()).matches()).mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The report of a {@code stat} text. */
    public static SynthReport report(String stat, String top, String family, boolean dsp, int po, int pi, int pes,
            double seconds) {
        Map<String, Long> c = cells(stat);
        if (c.isEmpty()) {
            throw new IllegalArgumentException("no cell counts in the Yosys stat output");
        }
        return new SynthReport(top, family, dsp, po, pi, pes, sum(c, "LUT[1-6]"), sum(c, "FD[RSCP]E"),
                sum(c, "DSP48E1"), sum(c, "RAMB36E1") + sum(c, "RAMB18E1") / 2.0,
                sum(c, "RAM(32|64|128|256)(M|X1[SD]).*"), sum(c, "SRL(C)?(16|32)E?"), sum(c, "CARRY4"), c, seconds);
    }
}
