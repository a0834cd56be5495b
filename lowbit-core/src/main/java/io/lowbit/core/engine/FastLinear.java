package io.lowbit.core.engine;

import io.lowbit.core.model.Linear;
import io.lowbit.core.model.TensorInfo;

/**
 * Fully connected layer (§4 with {@code kH = kW = 1}): the input is centred once, then each output is a dot product
 * of its own weight row with it, output features split over the workers. Accumulated in {@code int}, exact for the
 * reason {@link FastConv2d} gives (§5).
 */
final class FastLinear implements CompiledOp {

    private final int[][] rows;
    private final int zeroPoint;
    private final int[] bias;
    private final FastOutputStage stage;

    FastLinear(Linear op, TensorInfo in) {
        int outF = op.outChannels();
        int inF = op.weights().shape().dim(1);
        int[] codes = op.weights().decode().toArray();
        rows = new int[outF][inF];
        for (int o = 0; o < outF; o++) {
            System.arraycopy(codes, o * inF, rows[o], 0, inF);
        }
        zeroPoint = in.zeroPoint(0);
        bias = op.bias().toArray();
        stage = FastOutputStage.of(op.outputStage(), outF);
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        int[] d = new int[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - zeroPoint;
        }
        int[] y = new int[rows.length];
        workers.forEach(rows.length, o -> y[o] = stage.apply(bias[o] + dot(rows[o], d), o));
        return y;
    }

    private static int dot(int[] w, int[] d) {
        int sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i] * d[i];
        }
        return sum;
    }
}
