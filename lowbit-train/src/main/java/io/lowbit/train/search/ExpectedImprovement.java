package io.lowbit.train.search;

/**
 * Expected improvement over the best value so far, for minimization (Jones et al. 1998):
 * {@code EI = (f* − μ − ξ)·Φ(u) + σ·φ(u)}, {@code u = (f* − μ − ξ)/σ}; {@code ξ ≥ 0} trades exploration.
 */
public final class ExpectedImprovement {

    private ExpectedImprovement() {
    }

    public static double of(double mean, double sd, double best, double xi) {
        double d = best - mean - xi;
        if (sd <= 1e-12) {
            return Math.max(d, 0);
        }
        double u = d / sd;
        return d * normalCdf(u) + sd * Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
    }

    /** Φ via the complementary error function (Numerical Recipes erfc, relative error < 1.2e−7). */
    static double normalCdf(double u) {
        return 0.5 * erfc(-u / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
