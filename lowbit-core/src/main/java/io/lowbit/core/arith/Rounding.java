package io.lowbit.core.arith;

/**
 * How a real or a wide integer is brought onto a coarser grid. The integer semantics document
 * ({@code docs/integer-semantics.md}) says which operation uses which mode.
 */
public enum Rounding {
    /** Drop the fraction: toward zero. The CLIP-Q authors' {@code x − fmod(x, step)}. */
    TRUNCATE_TOWARD_ZERO,
    /** Toward −∞: an arithmetic right shift. What the CLIP-Q RTL's {@code sum[12:5]} does. */
    FLOOR,
    /** Nearest, ties toward +∞: {@code ⌊x + ½⌋}, i.e. add half an LSB then shift (gemmlowp-style requantization). */
    ROUND_HALF_UP,
    /** Nearest, ties to even (IEEE default; what {@code Math.rint} does). */
    ROUND_HALF_EVEN
}
