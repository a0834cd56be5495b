package io.lowbit.train.quant.clipq;

import java.util.Locale;

/**
 * How CLIP-Q divides the weights that survive clipping into 2^b − 1 segments (papers.md §1.3, §2.1). In both
 * modes segments are half-open intervals of equal width {@code s} on some axis; a weight at offset {@code x}
 * from the axis start lies in segment {@code ⌊x / s⌋}, clamped to the last segment, which is how the authors'
 * code "appends the extreme to the last interval". Arithmetic is in double on the float weights; a zero width
 * ({@code s = 0}, every survivor at one point) puts every survivor in the last segment.
 */
public enum PartitionMode {

    /**
     * The authors' code (papers.md §1.3), the mode of the FPGA paper. Each sign is partitioned on its own:
     * positives get 2^(b−1) − 1 intervals of width s⁺ = (max − c⁺) / (2^(b−1) − 1), index ⌊(w − c⁺) / s⁺⌋;
     * negatives get 2^(b−1) intervals of width s⁻ = (min − c⁻) / 2^(b−1) (negative), index ⌊(w − c⁻) / s⁻⌋,
     * counted outward from zero. For b = 2: one positive and two negative segments. Needs b ≥ 2.
     */
    PER_SIGN_LINEAR("per-sign"),

    /**
     * The original CLIP-Q's "2^b − 1 intervals over the non-clipped portion of the axis" (papers.md §2.1),
     * in <b>the project's reading</b> (papers.md §2.1 reading (b); the CLIP-Q text itself was not available):
     * the survivor axis is [min, c⁻] ∪ [c⁺, max] with the clipped gap (c⁻, c⁺) cut out and the two pieces
     * joined, so its length is L = (c⁻ − min) + (max − c⁺) (a side without survivors contributes 0). A
     * negative survivor sits at u = w − min, a positive one at u = (c⁻ − min) + (w − c⁺); with s = L / (2^b − 1)
     * the segment is ⌊u / s⌋. One segment may hold weights of both signs (its level is then their mean).
     */
    GLOBAL_LINEAR("global");

    private final String specName;

    PartitionMode(String specName) {
        this.specName = specName;
    }

    /** The name used in configuration specs: "per-sign" or "global". */
    public String specName() {
        return specName;
    }

    /** Parses "per-sign" / "global" (or the constant names, case-insensitive). */
    public static PartitionMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (PartitionMode m : values()) {
            if (m.specName.equals(t) || m.name().toLowerCase(Locale.ROOT).equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown CLIP-Q partition mode '" + text + "'; choose per-sign or global");
    }
}
