package io.lowbit.core.engine;

import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.TensorInfo;
import java.util.Locale;

/**
 * Which convolution kernel {@link FastEngine} compiles; both are bit-exact with {@link ReferenceEngine}. The older one
 * stays selectable so that a benchmark can compare the two in one process (the machine's load varies from run to
 * run), and as a fallback to rule the new kernel in or out when hunting a difference.
 */
public enum ConvKernel {

    /**
     * Register-blocked tiles in float where provably exact ({@link TiledConv2d}); grouped layers with fewer output
     * channels per group than half a tile's rows (depthwise) keep the axpy kernel, which wastes nothing on them.
     */
    TILED,
    /** The plain-Java axpy kernel in {@code int} ({@link FastConv2d}). */
    AXPY;

    /** System property naming the default kernel: {@code tiled} (default) or {@code axpy}. */
    public static final String PROPERTY = "lowbit.engine.conv";

    /** The kernel named by {@link #PROPERTY}, {@link #TILED} when unset. */
    public static ConvKernel fromSystemProperty() {
        return valueOf(System.getProperty(PROPERTY, "tiled").toUpperCase(Locale.ROOT));
    }

    CompiledOp compile(Conv2d op, TensorInfo in, TensorInfo out) {
        int outPerGroup = out.shape().channels() / op.groups();
        if (this == TILED && 2 * outPerGroup >= FloatTile.ROWS) {
            return new TiledConv2d(op, in, out);
        }
        return new FastConv2d(op, in, out);
    }
}
