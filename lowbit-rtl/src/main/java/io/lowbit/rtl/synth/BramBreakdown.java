package io.lowbit.rtl.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Block RAM per memory of a flattened {@code synth_xilinx} netlist: Yosys's {@code memory_libmap} names the
 * RAMB36E1/RAMB18E1 cells of memory {@code m} {@code m.<i>.<j>}, so the cell names ({@code select -list}) say which
 * memory each block came from. The memories are grouped by what they are in {@code lowbit_accel_top}.
 */
public final class BramBreakdown {

    private static final Pattern SUFFIX = Pattern.compile("\\.\\d+\\.\\d+$");
    /** Group name → a pattern of the memory's hierarchical name, first match wins. */
    private static final List<Map.Entry<String, Pattern>> GROUPS = List.of(
            Map.entry("psum banks", Pattern.compile("u_conv\\.")),
            Map.entry("feature-map buffers", Pattern.compile("g_fmbuf")),
            Map.entry("weight banks", Pattern.compile("u_wbank")),
            Map.entry("bias banks", Pattern.compile("u_bbank")),
            Map.entry("instruction memory", Pattern.compile("(^|\\.)(imem|iseq)$")),
            Map.entry("descriptors", Pattern.compile("(^|\\.)dmem$")),
            Map.entry("DMA queue", Pattern.compile("(^|\\.)dqmem$")),
            Map.entry("result memory", Pattern.compile("(^|\\.)rmem$")));

    private BramBreakdown() {
    }

    /**
     * RAMB36 equivalents per group from the {@code select -list} outputs of the RAMB36E1 and RAMB18E1 cells
     * ({@code module/cell} per line); a RAMB18E1 counts half.
     */
    public static Map<String, Double> of(String ramb36List, String ramb18List) {
        Map<String, Double> groups = new LinkedHashMap<>();
        add(groups, ramb36List, 1.0);
        add(groups, ramb18List, 0.5);
        return groups;
    }

    private static void add(Map<String, Double> groups, String list, double weight) {
        for (String line : list.split("\\R")) {
            String cell = line.trim();
            if (cell.isEmpty()) {
                continue;
            }
            cell = cell.substring(cell.indexOf('/') + 1).replace("\\", "");
            groups.merge(group(SUFFIX.matcher(cell).replaceFirst("")), weight, Double::sum);
        }
    }

    static String group(String memory) {
        for (Map.Entry<String, Pattern> g : GROUPS) {
            if (g.getValue().matcher(memory).find()) {
                return g.getKey();
            }
        }
        return "other: " + memory;
    }
}
