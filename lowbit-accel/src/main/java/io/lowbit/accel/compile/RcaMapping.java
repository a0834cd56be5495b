package io.lowbit.accel.compile;

/**
 * How a {@code kH×kW} kernel occupies one RCA of {@code P} PEs (paper Fig. 10). A kernel of {@code kH·kW ≤ P} taps
 * uses {@code kH·kW} chained PEs and the RCA holds {@code ⌊P/(kH·kW)⌋} kernels of different output channels (1×1: 25,
 * 3×3: 2 with 18 of 25 PEs busy, 5×5: 1). A larger kernel is cut into {@code ⌈kH·kW/P⌉} chunks of at most {@code P}
 * consecutive taps (row-major); each chunk is one pass over the input and the chunks' partial sums add in the psum
 * buffer (7×7 = 25 + 24). Those chunk counts are the paper's input read passes (Table 7).
 *
 * <p>Within a pass the chain is a transposed FIR over a {@code kW}-wide column strip of the input streamed row by row,
 * one pixel per cycle; the window moves down, so each new output needs one new kernel row: one output per {@code kW}
 * cycles per kernel ({@code docs/accelerator.md} §2).
 *
 * @param kernelH  kernel height
 * @param kernelW  kernel width
 * @param slots    kernels (output channels) per RCA
 * @param chunks   passes over the input per output-channel and input-channel group
 * @param pes      PEs per RCA
 */
public record RcaMapping(int kernelH, int kernelW, int slots, int chunks, int pes) {

    public static RcaMapping of(int kernelH, int kernelW, int pesPerRca) {
        long taps = (long) kernelH * kernelW;
        if (taps <= pesPerRca) {
            return new RcaMapping(kernelH, kernelW, (int) (pesPerRca / taps), 1, pesPerRca);
        }
        return new RcaMapping(kernelH, kernelW, 1, (int) ((taps + pesPerRca - 1) / pesPerRca), pesPerRca);
    }

    public int taps() {
        return kernelH * kernelW;
    }

    /** First tap (row-major index into the kernel) of chunk {@code c}. */
    public int chunkStart(int c) {
        return c * pes;
    }

    /** Taps of chunk {@code c}. */
    public int chunkTaps(int c) {
        return Math.min(pes, taps() - c * pes);
    }

    /** PEs holding a weight while chunk {@code c} runs (all slots). */
    public int busyPes(int c) {
        return slots * chunkTaps(c);
    }

    /** Input read passes per kernel (paper Table 7): the chunk count. */
    public int readPasses() {
        return chunks;
    }

    @Override
    public String toString() {
        return kernelH + "×" + kernelW + ": " + slots + " kernel" + (slots == 1 ? "" : "s") + "/RCA"
                + (chunks > 1 ? ", " + chunks + " chunks" : "");
    }
}
