package io.lowbit.train.quant.clipq;

import io.lowbit.core.arith.FixedPointFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Obviously-correct, slow CLIP-Q: full sorts for clipping and the {@link PartitionMode} formulas with a division
 * per weight, written from the javadoc without looking at the fast path. Shares only {@link
 * ClipQConfig#pruneCount(int)}, which is part of the specification.
 */
final class NaiveClipQ {

    record Reference(byte[] indexes, float[] levels, double[] means, int[] counts, float clipPositive,
                     float clipNegative, int positives, int negatives, int prunedPositive, int prunedNegative) {}

    private NaiveClipQ() {}

    static Reference run(ClipQConfig c, float[] w) {
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException("weights[" + i + "] = " + w[i]);
            }
        }
        List<Integer> pos = new ArrayList<>();
        List<Integer> neg = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                pos.add(i);
            } else if (w[i] < 0) {
                neg.add(i);
            }
        }
        pos.sort(Comparator.<Integer>comparingDouble(i -> w[i]).thenComparingInt(i -> i));
        neg.sort(Comparator.<Integer>comparingDouble(i -> Math.abs(w[i])).thenComparingInt(i -> i));
        int pz = c.pruneCount(pos.size());
        int nz = c.pruneCount(neg.size());
        boolean[] clipped = new boolean[w.length];
        for (int j = 0; j < pz; j++) {
            clipped[pos.get(j)] = true;
        }
        for (int j = 0; j < nz; j++) {
            clipped[neg.get(j)] = true;
        }
        float cPos = pz > 0 ? w[pos.get(pz - 1)] : 0f;
        float cNeg = nz > 0 ? w[neg.get(nz - 1)] : 0f;
        boolean posSurvivors = pos.size() > pz;
        boolean negSurvivors = neg.size() > nz;
        float max = posSurvivors ? w[pos.get(pos.size() - 1)] : 0f;
        float min = negSurvivors ? w[neg.get(neg.size() - 1)] : 0f;

        int k = c.levelCount();
        byte[] idx = new byte[w.length];
        double[] sum = new double[k];
        int[] count = new int[k];
        for (int i = 0; i < w.length; i++) {
            int code = (w[i] == 0 || clipped[i]) ? 0
                    : codeOf(c, w[i], min, cNeg, cPos, max, negSurvivors, posSurvivors);
            idx[i] = (byte) code;
            sum[code] += w[i];
            count[code]++;
        }
        double[] means = new double[k];
        float[] levels = new float[k];
        FixedPointFormat f = c.levelFormat();
        for (int m = 1; m < k; m++) {
            means[m] = count[m] == 0 ? 0.0 : sum[m] / count[m];
            levels[m] = f == null ? (float) means[m] : (float) f.quantize((float) means[m], c.levelRounding());
        }
        return new Reference(idx, levels, means, count, cPos, cNeg, pos.size(), neg.size(), pz, nz);
    }

    /** The partition formulas of {@link PartitionMode}, one division per call. */
    static int codeOf(ClipQConfig c, float w, float min, float cNeg, float cPos, float max, boolean negSurvivors,
                      boolean posSurvivors) {
        int half = 1 << (c.b() - 1);
        if (c.mode() == PartitionMode.PER_SIGN_LINEAR) {
            if (w > 0) {
                int k = half - 1;
                return half + 1 + segment((double) w - cPos, ((double) max - cPos) / k, k);
            }
            return half - segment((double) w - cNeg, ((double) min - cNeg) / half, half);
        }
        int k = c.segmentCount();
        double lNeg = negSurvivors ? (double) cNeg - min : 0;
        double lPos = posSurvivors ? (double) max - cPos : 0;
        double u = w < 0 ? (double) w - min : lNeg + ((double) w - cPos);
        return 1 + segment(u, (lNeg + lPos) / k, k);
    }

    private static int segment(double x, double s, int k) {
        if (s == 0) {
            return k - 1;
        }
        long j = (long) Math.floor(x / s);
        return (int) Math.max(0, Math.min(k - 1, j));
    }
}
