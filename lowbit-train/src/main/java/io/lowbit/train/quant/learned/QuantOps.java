package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.quant.Ste;

/**
 * Expressions shared by the quantizers of this package. Two rules hold throughout:
 *
 * <ul>
 *   <li><b>Managers.</b> An op's result belongs to its first operand's manager, and parameters live on long-lived
 *       managers; so every expression starts from the input, which lives on the step's manager {@code m} (weights
 *       too: {@code ConvUnit} and {@code LinearUnit} hand their weight transform a step-local copy), and the
 *       quantizer's own parameter enters only through {@link #scaleGradient}, which attaches its results to
 *       {@code m}.</li>
 *   <li><b>Constants are arrays.</b> DJL's {@code mul(Number)} / {@code div(Number)} / {@code maximum(Number)} wrap
 *       the number in a scalar array backed by a Java buffer and close it at once, but autograd keeps that scalar
 *       for the backward pass: after a garbage collection between forward and backward the gradient is computed
 *       from freed memory (silently wrong, e.g. 10^-19 or 10^37 instead of 3). So every multiplication or
 *       division by a constant on the gradient path goes through {@link #mul} / {@link #div}, whose constant is an
 *       array of the step's manager and lives until the step ends. {@code add}/{@code sub(Number)} (their backward
 *       does not read the operand) and {@code clip(Number, Number)} (native scalars) are safe.</li>
 *   <li><b>Exact values.</b> A straight-through expression {@code g + stopGradient(v − g)} has the value {@code v}
 *       only up to rounding; every such expression here is built so that {@code v − g} is exact (it is 0, or
 *       {@code g} is 0, or the two are within a factor of 2), and rounding to codes happens last, so the codes
 *       are exact integers and outputs are {@code code·step}.</li>
 * </ul>
 */
final class QuantOps {

    /** Rounding of values to codes: the integer semantics' default (§6), so exported codes reproduce ties. */
    static final Rounding ROUNDING = Rounding.ROUND_HALF_UP;

    private QuantOps() {
    }

    private static NDArray detached(NDArray p, NDManager m) {
        NDArray d = p.stopGradient();
        d.attach(m);
        return d;
    }

    /**
     * The value of parameter {@code p} exactly, with its gradient multiplied by {@code g}: {@code stopGradient(p) +
     * (g·p − stopGradient(g·p))} (unlike {@code Ste.scaleGradient}, whose value {@code g·p + (1−g)·p} can be off by
     * an ulp). Attached to {@code m}.
     */
    static NDArray scaleGradient(NDArray p, double g, NDManager m) {
        NDArray scaled = p.mul(constant(m, (float) g));
        scaled.attach(m);
        return detached(p, m).add(scaled.sub(scaled.stopGradient()));
    }

    /** A scalar constant owned by the step's manager {@code m}, alive until the backward pass is done. */
    static NDArray constant(NDManager m, float c) {
        return m.create(c);
    }

    /** {@code a·c} with the constant held by {@code a}'s (step) manager (see the class comment). */
    static NDArray mul(NDArray a, float c) {
        return a.mul(constant(a.getManager(), c));
    }

    /** {@code a/c} with the constant held by {@code a}'s (step) manager (see the class comment). */
    static NDArray div(NDArray a, float c) {
        return a.div(constant(a.getManager(), c));
    }

    /** {@code b} (boolean) as 0/1 floats. */
    static NDArray mask(NDArray b) {
        return b.toType(DataType.FLOAT32, false);
    }

    /**
     * {@code v} clipped for rounding to the integer codes {@code [lo, hi]}, with LSQ's estimator: gradient 1 strictly
     * inside {@code (lo, hi)}, 0 elsewhere, clip points included. One autograd clamp to the adjacent floats inside
     * ({@code nextUp(lo)}, {@code nextDown(hi)}) does both: its gradient, 1 on the closed interval, is then 1
     * exactly for {@code lo < v < hi} (no float lies between {@code lo} and {@code nextUp(lo)}), and a value moved
     * by the clamp rounds half up to the same code as {@code lo} or {@code hi} itself. (At {@code lo = 0} the bound
     * is the smallest normal float rather than a subnormal one, so only subnormal {@code v} would see a gradient of
     * 0 instead of 1.) One pass forward and one backward instead of the eight a mask would take — the quantizer runs
     * on every activation of every step.
     */
    static NDArray clipForCodes(NDArray v, float lo, float hi) {
        float above = lo == 0 ? Float.MIN_NORMAL : Math.nextUp(lo);
        return v.clip(above, Math.nextDown(hi));
    }

    /** Rounds to integer codes (half up) with an identity gradient; exact for |v| < 2^22. */
    static NDArray roundToCode(NDArray v) {
        return Ste.round(v, ROUNDING);
    }

    /** A per-channel vector {@code (C)} reshaped to broadcast over {@code like} = (C, …). */
    static NDArray perChannel(NDArray p, Shape like) {
        long[] dims = new long[like.dimension()];
        java.util.Arrays.fill(dims, 1L);
        dims[0] = like.get(0);
        return p.reshape(dims);
    }

    /** Numerically safe softplus {@code log(1 + e^x)} (PyTorch's, linear above 20). */
    static NDArray softplus(NDArray x) {
        return Activation.softPlus(x);
    }
}
