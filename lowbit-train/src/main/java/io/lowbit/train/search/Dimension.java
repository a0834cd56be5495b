package io.lowbit.train.search;

/**
 * One searched hyperparameter: a closed interval, continuous or integer (e.g. CLIP-Q's {@code p ∈ [0, 0.9]} and
 * {@code b ∈ {1..4}} per layer).
 */
public record Dimension(String name, double lo, double hi, boolean integer) {

    public Dimension {
        if (!(lo < hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("dimension " + name + ": need finite lo < hi, got [" + lo + ", " + hi
                    + "]");
        }
    }

    /** Unit-interval coordinate of {@code v}. */
    double normalize(double v) {
        return (v - lo) / (hi - lo);
    }

    /** The value at unit coordinate {@code u}, rounded for integer dimensions. */
    double value(double u) {
        double v = lo + Math.min(1, Math.max(0, u)) * (hi - lo);
        return integer ? Math.round(v) : v;
    }
}
