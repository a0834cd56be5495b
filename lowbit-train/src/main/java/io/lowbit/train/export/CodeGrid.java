package io.lowbit.train.export;

import ai.djl.nn.Block;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.quant.FixedPointQuantizer;
import io.lowbit.train.quant.learned.Grid;
import io.lowbit.train.quant.learned.GridQuantizer;
import java.util.Locale;

/**
 * The codes of one activation tensor as the training graph's quantizer defines them: code type, clamp range
 * {@code [min, max]}, the real value of one step, and the rounding training applies to {@code value/step}. A Qm.f
 * fixed-point format is the special case {@code step = 2^−f} over the whole signed type; the learned methods'
 * grids ({@link Grid}) are symmetric signed {@code [−Q_P, Q_P]} or unsigned {@code [0, Q_P]} with a float step.
 * Zero-points are always 0.
 */
record CodeGrid(String name, IntType type, int min, int max, double step, Rounding rounding) {

    static CodeGrid of(FixedPointFormat f, Rounding rounding) {
        IntType t = IntType.signed(f.totalBits());
        return new CodeGrid(f.toString(), t, t.min(), t.max(), f.step(), rounding);
    }

    static CodeGrid of(Grid g, double step, Rounding rounding) {
        return new CodeGrid(String.format(Locale.ROOT, "%s %s ×%.4g", g.type(), g, step), g.type(), -g.qn(), g.qp(),
                step, rounding);
    }

    /** The grid of an activation quantizer of the training graph, or null if it is neither fixed-point nor a grid. */
    static CodeGrid of(Block quantizer, String layer) {
        if (quantizer instanceof FixedPointQuantizer q) {
            return of(q.format(), q.rounding());
        }
        if (quantizer instanceof GridQuantizer q) {
            float[] s = q.steps();
            if (s.length != 1 || !(s[0] > 0) || Float.isInfinite(s[0])) {
                throw new ExportException(layer, quantizer + " has step " + java.util.Arrays.toString(s)
                        + ": not one positive finite step (a data-initialized quantizer that never saw data?)");
            }
            return of(q.grid(), s[0], q.rounding());
        }
        return null;
    }

    QuantizedType quantizedType() {
        return new QuantizedType(type, 0);
    }

    /** The clamp of a requantized output onto the grid; with {@code relu} nothing below the code of real 0. */
    OutputClamp clamp(boolean relu) {
        OutputClamp c = new OutputClamp(type, 0, min, max);
        return relu ? c.relu() : c;
    }

    @Override
    public String toString() {
        return name;
    }
}
