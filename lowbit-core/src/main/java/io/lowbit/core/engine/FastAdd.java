package io.lowbit.core.engine;

import io.lowbit.core.arith.ResidualAdd;

/** Residual add (§13), element by element with the model's {@link ResidualAdd}. */
record FastAdd(ResidualAdd add) implements CompiledOp {

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] a = inputs[0];
        int[] b = inputs[1];
        int[] y = new int[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = add.add(a[i], b[i]);
        }
        return y;
    }
}
