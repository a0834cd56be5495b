package io.lowbit.cli;

import java.util.Map;

/**
 * A limit on the total weight bits of a searched CLIP-Q model (docs/search.md): {@code factor} times the bits of
 * the uniform setting {@code p = 0.2, b = 2} of the FPGA paper, counted as {@link ClipQSearch#bits} (dense indexes or
 * the sparse encoding, plus codebooks). The search is sequential, so while a layer is searched its allowance is the
 * budget minus the bits of the layers already chosen and of those still at the uniform setting; as the uniform
 * setting fits any allowance from a factor ≥ 1 on, every layer keeps a feasible choice and the result meets the
 * budget. Layers searched early can only save; later ones can spend what earlier ones saved.
 *
 * @param factor  budget relative to the uniform setting (1.0: the same size)
 * @param weights weights per layer, in model order
 */
record SizeBudget(double factor, Map<String, Long> weights) {

    SizeBudget {
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("--size-budget " + factor + ": must be ≥ 1 (the uniform p=0.2, b=2 "
                    + "setting is the starting point; a smaller budget may leave a layer without any feasible choice)");
        }
    }

    /** Bits of the uniform setting. */
    static double uniformBits(long n) {
        return ClipQSearch.bits(n, 0.2, 2);
    }

    /** The budget in bits. */
    double totalBits() {
        return factor * weights.values().stream().mapToDouble(SizeBudget::uniformBits).sum();
    }

    /** Bits {@code layer} may use, given the settings {@code chosen} so far (all other layers uniform). */
    double allowance(String layer, Map<String, double[]> chosen) {
        double used = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            if (e.getKey().equals(layer)) {
                continue;
            }
            double[] t = chosen.get(e.getKey());
            used += t == null ? uniformBits(e.getValue()) : ClipQSearch.bits(e.getValue(), t[0], (int) t[1]);
        }
        return totalBits() - used;
    }

    /** Total bits of {@code chosen} (other layers uniform). */
    double bits(Map<String, double[]> chosen) {
        return ClipQSearch.modelBits(weights, chosen);
    }

    /** Whether {@code theta = (p, b)} of {@code layer} fits its allowance. */
    boolean fits(String layer, double[] theta, Map<String, double[]> chosen) {
        return ClipQSearch.bits(weights.get(layer), theta[0], (int) theta[1]) <= allowance(layer, chosen) + 1e-6;
    }
}
