package io.lowbit.train.quant.clipq;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hyperparameters of CLIP-Q pruning-quantization for one layer (papers.md §1.2, §1.3, §2.1).
 *
 * @param p             fraction of each sign clipped to 0, in [0, 1): ⌈p·n⁺⌉ positives and ⌈p·n⁻⌉ negatives
 *                      (see {@link #pruneCount(int)})
 * @param b             bits per weight index including the zero level, 1..8: 2^b − 1 non-zero levels
 * @param mode          how survivors are partitioned into segments
 * @param levelFormat   fixed-point format the segment means are quantized to, or {@code null} to keep them as
 *                      float (the FPGA paper uses Q3.5, papers.md §1.2)
 * @param levelRounding rounding onto {@code levelFormat} (saturating); ignored when it is {@code null}. The
 *                      authors' code truncates toward zero (papers.md §1.3 step 5, §1.8)
 */
public record ClipQConfig(double p, int b, PartitionMode mode, FixedPointFormat levelFormat, Rounding levelRounding) {

    /** Largest supported b: indexes must fit in one byte. */
    public static final int MAX_BITS = 8;

    public ClipQConfig {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("CLIP-Q p = " + p
                    + " must be in [0, 1): it is the fraction of each sign's weights clipped to 0");
        }
        if (b < 1 || b > MAX_BITS) {
            throw new IllegalArgumentException("CLIP-Q b = " + b + " must be in 1.." + MAX_BITS
                    + " (bits per weight index including the zero level)");
        }
        if (mode == null) {
            throw new IllegalArgumentException("CLIP-Q partition mode must be given (per-sign or global)");
        }
        if (mode == PartitionMode.PER_SIGN_LINEAR && b < 2) {
            throw new IllegalArgumentException("CLIP-Q per-sign partition needs b ≥ 2, got b = " + b
                    + ": with b = 1 the positive side would get 2^(b−1) − 1 = 0 intervals; use mode global");
        }
        if (levelRounding == null) {
            throw new IllegalArgumentException("CLIP-Q level rounding must be given (TRUNCATE_TOWARD_ZERO is"
                    + " the authors' choice)");
        }
    }

    /** The FPGA paper's setting (papers.md §1.2): p = 0.2, b = 2, per-sign partition, Q3.5 levels, truncation. */
    public static ClipQConfig paperHardware() {
        return new ClipQConfig(0.2, 2, PartitionMode.PER_SIGN_LINEAR, FixedPointFormat.Q3_5,
                Rounding.TRUNCATE_TOWARD_ZERO);
    }

    /** As {@link #paperHardware()} but with the authors' code's p = 0.4 (papers.md §1.3, §1.8). */
    public static ClipQConfig authorsCode() {
        return new ClipQConfig(0.4, 2, PartitionMode.PER_SIGN_LINEAR, FixedPointFormat.Q3_5,
                Rounding.TRUNCATE_TOWARD_ZERO);
    }

    /** Float levels (no fixed point), truncation recorded as the rounding. */
    public static ClipQConfig of(double p, int b, PartitionMode mode) {
        return new ClipQConfig(p, b, mode, null, Rounding.TRUNCATE_TOWARD_ZERO);
    }

    public ClipQConfig withP(double newP) {
        return new ClipQConfig(newP, b, mode, levelFormat, levelRounding);
    }

    public ClipQConfig withMode(PartitionMode newMode) {
        return new ClipQConfig(p, b, newMode, levelFormat, levelRounding);
    }

    /** The same with levels rounded to {@code format} ({@code null}: float levels) under {@code rounding}. */
    public ClipQConfig withLevelFormat(FixedPointFormat format, Rounding rounding) {
        return new ClipQConfig(p, b, mode, format, rounding);
    }

    /** Codebook size 2^b: the zero level plus {@link #segmentCount()} segment levels. */
    public int levelCount() {
        return 1 << b;
    }

    /** 2^b − 1 segments, one non-zero level each. */
    public int segmentCount() {
        return (1 << b) - 1;
    }

    /**
     * Number of weights of one sign clipped when the layer has {@code n} of that sign: ⌈p·n⌉, with p read as
     * the decimal it prints as ({@code Double.toString}) and the product taken exactly. So p = 0.07, n = 100
     * gives 7 and p = 0.1, n = 10 gives 1, as meant; a plain double product (the authors' Python {@code
     * ceil(n*p)}) gives 8 for the former, and the exact binary value of 0.1 would give 2 for the latter. For
     * p = 0.2 and 0.4 the two agree for every n ≤ 10^6.
     */
    public int pruneCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("weight count must be ≥ 0, got " + n);
        }
        return BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING)
                .intValueExact();
    }

    /**
     * Parses a spec such as {@code p=0.2,b=2,mode=per-sign,fmt=Q3.5,round=trunc}, or a preset name
     * ({@code paper}, {@code authors}). p and b are required; {@code mode} is per-sign (default, the authors'
     * code and the FPGA paper) or global; {@code fmt} is a Qm.n format or {@code none} (default: float levels);
     * {@code round} is trunc, floor, half-up or half-even (default trunc). So {@code p=0.2,b=2,fmt=Q3.5} is the
     * paper's setting. Unknown or repeated keys are errors. {@link #toSpec()} gives back a spec this accepts.
     */
    public static ClipQConfig parse(String spec) {
        String s = spec.trim();
        if (s.equalsIgnoreCase("paper")) {
            return paperHardware();
        }
        if (s.equalsIgnoreCase("authors")) {
            return authorsCode();
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(usage("'" + part.trim() + "' is not key=value", spec));
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            if (!key.matches("p|b|mode|fmt|round")) {
                throw new IllegalArgumentException(usage("unknown key '" + key + "'", spec));
            }
            if (kv.put(key, value) != null) {
                throw new IllegalArgumentException(usage("key '" + key + "' given twice", spec));
            }
        }
        for (String required : new String[] {"p", "b"}) {
            if (!kv.containsKey(required)) {
                throw new IllegalArgumentException(usage("missing " + required + "=", spec));
            }
        }
        double p;
        int b;
        try {
            p = Double.parseDouble(kv.get("p"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage("p='" + kv.get("p") + "' is not a number", spec));
        }
        try {
            b = Integer.parseInt(kv.get("b"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage("b='" + kv.get("b") + "' is not an integer", spec));
        }
        String fmt = kv.getOrDefault("fmt", "none");
        FixedPointFormat format = fmt.equalsIgnoreCase("none") ? null : FixedPointFormat.parse(fmt);
        Rounding rounding = parseRounding(kv.getOrDefault("round", "trunc"));
        return new ClipQConfig(p, b, PartitionMode.parse(kv.getOrDefault("mode", "per-sign")), format, rounding);
    }

    /** The spec {@link #parse(String)} reads back to this config, every field spelled out. */
    public String toSpec() {
        return "p=" + p + ",b=" + b + ",mode=" + mode.specName() + ",fmt="
                + (levelFormat == null ? "none" : levelFormat.toString()) + ",round=" + roundingName(levelRounding);
    }

    private static Rounding parseRounding(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Rounding r : Rounding.values()) {
            if (roundingName(r).equals(t) || r.name().toLowerCase(Locale.ROOT).equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown rounding '" + text + "'; choose trunc, floor, half-up or half-even");
    }

    private static String roundingName(Rounding r) {
        return switch (r) {
            case TRUNCATE_TOWARD_ZERO -> "trunc";
            case FLOOR -> "floor";
            case ROUND_HALF_UP -> "half-up";
            case ROUND_HALF_EVEN -> "half-even";
        };
    }

    private static String usage(String problem, String spec) {
        return "bad CLIP-Q spec '" + spec + "': " + problem
                + "; expected e.g. p=0.2,b=2,mode=per-sign,fmt=Q3.5,round=trunc (mode, fmt, round optional) or 'paper'";
    }
}
