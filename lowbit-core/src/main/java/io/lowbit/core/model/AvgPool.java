package io.lowbit.core.model;

import io.lowbit.core.arith.AveragePool;
import java.util.List;
import java.util.Objects;

/**
 * Average pool and global average pool ({@code docs/integer-semantics.md} §12):
 * {@code y = clamp(Z_out + round_r(M·Σ_window (x − Z_in)), lo, hi)}, padded positions holding {@code Z_in} and
 * counted in the divisor ({@code count_include_pad}); {@code M = S_in/(kH·kW·S_out)}. Global: the window is the
 * whole map ({@link Window#global}).
 *
 * @param window kernel, stride, padding; every padding smaller than the kernel
 * @param pool   the arithmetic; its window count is {@code kH·kW}, its input type the input tensor's
 */
public record AvgPool(Window window, AveragePool pool) implements Op {

    public AvgPool {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pool, "pool");
        window.requirePoolPadding();
        if (pool.windowCount() != window.kernelArea()) {
            throw new IllegalArgumentException("pool divides by " + pool.windowCount() + " positions, the window has "
                    + window.kernelArea() + " (" + Rules.SPEC + "§12)");
        }
    }

    /** Global average pool over an {@code height×width} map. */
    public static AvgPool global(int height, int width, AveragePool pool) {
        return new AvgPool(Window.global(height, width), pool);
    }

    @Override
    public String kind() {
        return "avg_pool";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo in = inputs.get(0);
        Rules.requireFeatureMap(in, "the input");
        Rules.require(Rules.isActivationType(in.type()) && !in.hasPerChannelZeroPoints()
                && pool.input().equals(in.quantizedType()), "pool input type " + pool.input()
                + " differs from the input tensor's " + in.type() + " z=" + in.zeroPoints());
        Rules.requireActivationType(pool.output().type(), "the output");
        Rules.requireSingleScale(scales, "the output");
        Shape out = Shape.chw(in.shape().channels(), window.outputHeight(in.shape().height()),
                window.outputWidth(in.shape().width()));
        return new TensorInfo(out, pool.output().type(), List.of(pool.output().zeroPoint()), scales);
    }
}
