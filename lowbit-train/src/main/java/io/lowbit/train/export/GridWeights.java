package io.lowbit.train.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.lowbit.train.quant.learned.Grid;
import io.lowbit.train.quant.learned.GridQuantizer;

/**
 * Integer codes of weights quantized by a {@link GridQuantizer} (lsq, lsfq, and the DoReFa weights of pact and
 * dorefa, whose folded variant computes its steps from the weights in the forward). The quantizer's own forward pass runs, on the DJL engine, on exactly the weights training feeds it (the
 * BN-folded ones of {@link HostFloat#foldBn} when the method folds), and each output {@code code·step} is divided
 * by its step. A host re-evaluation of the formula could flip a code wherever {@code v/step} lies within float
 * rounding of a half-integer; the forward's outputs are the training values themselves, and the division only has
 * to recover a small integer from {@code code·step} (relative error 2^−24), which rounding does exactly.
 */
final class GridWeights {

    /** A value further than this from an integer multiple of its step is not on the grid: a broken quantizer. */
    private static final double OFF_GRID = 1e-3;

    private GridWeights() {
    }

    /** Codes (row-major, like the weights) and the real step of each output channel (dimension 0). */
    record Codes(int[] codes, double[] steps) {
    }

    static Codes of(String layer, Block quantizer, float[] weights, Shape shape) {
        GridQuantizer q = (GridQuantizer) quantizer;
        int outC = Math.toIntExact(shape.get(0));
        float[] values;
        try (NDManager m = NDManager.newBaseManager()) {
            values = quantizer.forward(new ParameterStore(m, false), new NDList(m.create(weights, shape)), false)
                    .singletonOrThrow().toFloatArray();
        }
        float[] s = q.steps(); // after the forward: the folded DoReFa steps are those of the weights it saw
        if (s.length != 1 && s.length != outC) {
            throw new ExportException(layer, quantizer + " has " + s.length + " steps for " + outC + " channels");
        }
        double[] steps = new double[outC];
        for (int o = 0; o < outC; o++) {
            steps[o] = s.length == 1 ? s[0] : s[o];
            if (!(steps[o] > 0) || Double.isInfinite(steps[o])) {
                throw new ExportException(layer, quantizer + " has step " + steps[o] + (steps[o] < 0
                        ? " (its learned scale was trained below 0: the learning rate was too high for it; learned"
                        + " scales are meant to be fine-tuned from a float model, --init, at a small lr)"
                        : " (never initialized?)"));
            }
        }
        Grid grid = q.grid();
        int per = weights.length / outC;
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double c = values[i] / steps[i / per];
            codes[i] = (int) Math.round(c);
            if (Math.abs(c - codes[i]) > OFF_GRID || codes[i] < -grid.qn() || codes[i] > grid.qp()) {
                throw new ExportException(layer, "quantized weight " + i + " = " + values[i] + " is not a code of "
                        + grid + " × " + steps[i / per]);
            }
        }
        return new Codes(codes, steps);
    }
}
