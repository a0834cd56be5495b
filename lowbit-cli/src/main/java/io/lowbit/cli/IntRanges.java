package io.lowbit.cli;

import java.util.ArrayList;
import java.util.List;

/** Integer lists on the command line: {@code 1..8}, {@code 1,2,4}, or both mixed ({@code 1..4,6,8}). */
final class IntRanges {

    private IntRanges() {
    }

    static List<Integer> parse(String option, String text) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots >= 0) {
                    int lo = Integer.parseInt(p.substring(0, dots).trim());
                    int hi = Integer.parseInt(p.substring(dots + 2).trim());
                    if (hi < lo || hi - lo > 4096) {
                        throw new IllegalArgumentException(option + ": bad range '" + p + "'");
                    }
                    for (int v = lo; v <= hi; v++) {
                        out.add(v);
                    }
                } else {
                    out.add(Integer.parseInt(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected integers like 1..8 or 1,2,4, got '" + text + "'");
        }
        if (out.isEmpty() || out.stream().anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(option + ": values must be ≥ 1, got '" + text + "'");
        }
        return out.stream().distinct().toList();
    }
}
