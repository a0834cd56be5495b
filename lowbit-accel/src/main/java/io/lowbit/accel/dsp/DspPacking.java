package io.lowbit.accel.dsp;

/**
 * {@code count} products {@code x·w_k} of one shared signed operand {@code x} and {@code count} signed weights from
 * one DSP multiplication. {@code x} is the RCA's centred input, {@code |x| ≤ 2^(sharedBits−1) − 1} (a code minus a
 * zero-point of the same width never reaches {@code −2^(sharedBits−1)}); the weights take every
 * {@code weightBits}-bit value. Then {@code |x·w| < 2^(S−1)} for {@code S = sharedBits + weightBits − 1}, and the
 * weights are packed at that stride:
 *
 * <pre>
 *   A = Σ_k w_k · 2^(k·S)          (port A: (count−1)·S + weightBits + 1 bits, the +1 for the lower fields' sum)
 *   P = A · x = Σ_k (x·w_k) · 2^(k·S)
 *   x·w_0 = P[S−1:0]                                       (signed)
 *   x·w_k = P[k·S + S−1 : k·S] + P[k·S − 1]   (mod 2^S, signed), k ≥ 1
 * </pre>
 *
 * The correction bit is the sign of the sum of the lower fields {@code L_k = Σ_{j<k} x·w_j·2^(j·S)}: since
 * {@code |L_k| < 2^(k·S−1)}, {@code L_k} is the {@code k·S}-bit two's-complement value of {@code P[k·S−1:0]}, and
 * {@code ⌊L_k / 2^(k·S)⌋} is {@code −1} exactly when its top bit is set; adding that bit back undoes the borrow.
 * So one DSP plus {@code count − 1} adders of {@code S} bits replace {@code count} multipliers. The shared operand
 * goes to port B ({@code sharedBits ≤ bBits}), the packed weights to the wider port A. {@code DspPackingTest} checks
 * every input combination of the packed widths (and the RTL's {@code tb_shared_mul} does the same in Verilog).
 *
 * @param slice      the DSP slice
 * @param sharedBits width of the shared operand (the RCA's centred input: activation bits + 1)
 * @param weightBits width of each packed weight
 * @param count      products per multiplication, {@code ≥ 1}
 */
public record DspPacking(DspSlice slice, int sharedBits, int weightBits, int count) {

    public DspPacking {
        if (sharedBits < 2 || weightBits < 2 || sharedBits > slice.bBits() || weightBits > slice.aBits()) {
            throw new IllegalArgumentException("a " + sharedBits + "-bit × " + weightBits + "-bit product does not fit"
                    + " the " + slice.aBits() + "×" + slice.bBits() + " multiplier of a " + slice);
        }
        if (count < 1 || count > maxCount(slice, sharedBits, weightBits)) {
            throw new IllegalArgumentException(count + " products of " + sharedBits + "×" + weightBits + " bits do not"
                    + " fit one " + slice + " (at most " + maxCount(slice, sharedBits, weightBits) + ")");
        }
    }

    /** As many products as fit one multiplication. */
    public static DspPacking densest(DspSlice slice, int sharedBits, int weightBits) {
        return new DspPacking(slice, sharedBits, weightBits, maxCount(slice, sharedBits, weightBits));
    }

    /** The largest {@code count} with {@code (count−1)·S + weightBits + 1 ≤ aBits} (at least 1). */
    public static int maxCount(DspSlice slice, int sharedBits, int weightBits) {
        int stride = sharedBits + weightBits - 1;
        return weightBits + 1 > slice.aBits() ? 1 : (slice.aBits() - weightBits - 1) / stride + 1;
    }

    /** Field stride {@code S}: the width of a product {@code x·w}. */
    public int stride() {
        return sharedBits + weightBits - 1;
    }

    /** Bits of port A the packed weights use. */
    public int packedBits() {
        return (count - 1) * stride() + weightBits + (count > 1 ? 1 : 0);
    }

    /** The port-A operand: {@code Σ w_k·2^(k·S)}. */
    public long pack(int[] weights) {
        if (weights.length != count) {
            throw new IllegalArgumentException("need " + count + " weights, got " + weights.length);
        }
        long a = 0;
        for (int k = 0; k < count; k++) {
            requireSigned(weights[k], weightBits, "weight " + k);
            a += (long) weights[k] << (k * stride());
        }
        return a;
    }

    /**
     * The DSP's multiplication as the slice does it: both operands must be within their ports, the product is
     * sign-extended to {@code pBits}; returns the P register as a two's-complement {@code long}.
     */
    public long multiply(long portA, int x) {
        requireSigned(portA, slice.aBits(), "port A");
        int xMax = (1 << (sharedBits - 1)) - 1;
        if (x < -xMax || x > xMax) {
            throw new IllegalArgumentException("shared operand " + x + " is outside ±" + xMax);
        }
        long p = portA * x; // |p| < 2^(aBits + bBits − 2) < 2^47: exact in a long, and what P holds
        return p << (64 - slice.pBits()) >> (64 - slice.pBits());
    }

    /** Recovers the {@code count} products from P (the correction above). */
    public int[] unpack(long p) {
        int s = stride();
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            long field = (p >>> (k * s)) & ((1L << s) - 1);
            if (k > 0) {
                field += (p >>> (k * s - 1)) & 1;
            }
            out[k] = (int) (field << (64 - s) >> (64 - s)); // the S-bit field as a signed value
        }
        return out;
    }

    /** All products through the DSP: {@code unpack(multiply(pack(weights), x))}. */
    public int[] products(int x, int[] weights) {
        return unpack(multiply(pack(weights), x));
    }

    private static void requireSigned(long v, int bits, String what) {
        if (v < -(1L << (bits - 1)) || v >= (1L << (bits - 1))) {
            throw new IllegalArgumentException(what + " = " + v + " is not a " + bits + "-bit signed value");
        }
    }
}
