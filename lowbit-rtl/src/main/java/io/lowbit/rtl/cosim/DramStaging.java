package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.rtl.RtlParameters;

/**
 * How a conv layer's feature maps in DRAM are staged on chip ({@code docs/rtl.md} §1, "Feature maps in DRAM"). A
 * map larger than a feature-map buffer lives in DRAM (the compiler's {@code load_rows} / {@code store_rows}); the
 * rows of row tile {@code job} are in half {@code job mod 2} of the buffer (double buffering): half {@code h} of every
 * bank starts at in-bank address {@code h·halfWords}. A staged input's plane (the words of one channel group) holds
 * the {@code R} input rows of a full row tile, padding rows included, so that a pass's strip starts at its half's
 * base plus its plane, whatever rows the tile loads; a staged output's plane holds the {@code rows} output rows of a
 * full row tile.
 *
 * @param input      the layer's input is in DRAM (its passes read staged rows)
 * @param output     the layer's output is in DRAM (its row tiles are stored)
 * @param rowsBase   {@code load_rows} of the program before this layer's
 * @param storeBase  {@code store_rows} of the program before this layer's
 * @param jobs       row tiles of the layer over all its weight tiles (one {@code load_rows} / {@code store_rows} each)
 * @param halfWords  in-bank words of half a buffer
 * @param inPlane    in-bank words of a staged input's channel group: {@code R·W_in}
 * @param outPlane   in-bank words of a staged output's channel group: {@code rows·W_out}
 */
public record DramStaging(boolean input, boolean output, int rowsBase, int storeBase, int jobs, int halfWords,
        int inPlane, int outPlane) {

    /**
     * The staging of {@code plan}, reading buffer {@code inBuffer} and writing the other one, with row tiles of
     * {@code tileRows} output rows; throws when a half is too small. A staged map's halves are those of its
     * buffer; both halves are {@code halfWords} (the smaller buffer's half when both maps are staged).
     */
    public static DramStaging of(RtlParameters p, LayerPlan plan, int tileRows, int jobs, int rowsBase,
            int storeBase, int inBuffer) {
        var w = plan.window();
        int r = (tileRows - 1) * w.strideH() + plan.mapping().kernelH();
        int half = Math.min(plan.inputInDram() ? p.fmBankWords(inBuffer) / 2 : Integer.MAX_VALUE,
                plan.outputInDram() ? p.fmBankWords(inBuffer + 1) / 2 : Integer.MAX_VALUE);
        DramStaging s = new DramStaging(plan.inputInDram(), plan.outputInDram(), rowsBase, storeBase, jobs, half,
                r * plan.input().width(), tileRows * plan.output().width());
        FeatureMapLayout layout = new FeatureMapLayout(p);
        if (s.input()) {
            requireHalf(plan.layer() + " input", layout.bankWords(plan.input().channels(), s.inPlane()), half,
                    r + " input rows (halo and padding included) × " + plan.input().width() + " columns");
        }
        if (s.output()) {
            requireHalf(plan.layer() + " output", layout.bankWords(plan.output().channels(), s.outPlane()), half,
                    tileRows + " output rows × " + plan.output().width() + " columns");
        }
        return s;
    }

    private static void requireHalf(String what, int words, int half, String tile) {
        if (words > half) {
            throw new IllegalArgumentException(what + " in DRAM: a row tile of " + tile + " needs " + words
                    + " words per bank, more than half a feature-map bank (" + half + " words; the RTL stages a"
                    + " row tile per half, docs/rtl.md §1)");
        }
    }

    /** In-bank base of half {@code slot}. */
    public int slotBase(int slot) {
        return slot * halfWords;
    }

    public boolean any() {
        return input || output;
    }
}
