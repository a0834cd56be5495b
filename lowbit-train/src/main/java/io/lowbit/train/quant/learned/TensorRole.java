package io.lowbit.train.quant.learned;

/** What a quantizer quantizes: it decides the grid's sign, what a per-channel scale means and LSQ's N. */
public enum TensorRole {
    /** A conv weight (outC, inC/groups, k, k) or linear weight (out, in); dimension 0 is the output channel. */
    WEIGHT,
    /** An activation (N, …); dimension 0 is the batch. */
    ACTIVATION
}
