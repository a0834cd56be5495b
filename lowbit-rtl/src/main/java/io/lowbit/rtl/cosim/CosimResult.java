package io.lowbit.rtl.cosim;

/** One layer run on the RTL, conv ({@link LayerCosimResult}) or pool ({@link PoolCosimResult}). */
public interface CosimResult {

    String layer();

    /** Every output equals the integer engine's. */
    boolean bitExact();

    /** The RTL took the cycles the timing model predicts, with the differences docs/rtl.md states. */
    boolean cyclesAsModelled();

    String summary();
}
