package io.lowbit.train.search;

import java.util.Objects;

/**
 * Gaussian-process regression on points of the unit cube: Matérn 5/2 kernel
 * {@code k(r) = σ²(1 + √5·r/ℓ + 5r²/(3ℓ²))·exp(−√5·r/ℓ)}, targets standardized (mean 0, variance 1, so σ² = 1),
 * a small noise {@code σ_n²} on the diagonal (the objective, accuracy after a short fine-tuning, is itself noisy),
 * and the length scale {@code ℓ} chosen from a log grid by the largest log marginal likelihood. Immutable: fit once,
 * predict many times.
 */
public final class GaussianProcess {

    /** Length scales tried, on the unit cube. */
    static final double[] LENGTH_SCALES = {0.05, 0.08, 0.12, 0.18, 0.27, 0.4, 0.6, 0.9, 1.35, 2.0};

    private final double[][] x;
    private final double mean;
    private final double std;
    private final double noise;
    private final double lengthScale;
    private final double[][] chol;
    private final double[] alpha;
    private final double logMarginalLikelihood;

    private GaussianProcess(double[][] x, double mean, double std, double noise, double lengthScale, double[][] chol,
            double[] alpha, double lml) {
        this.x = x;
        this.mean = mean;
        this.std = std;
        this.noise = noise;
        this.lengthScale = lengthScale;
        this.chol = chol;
        this.alpha = alpha;
        this.logMarginalLikelihood = lml;
    }

    /**
     * Fits the points {@code x[i]} (each in {@code [0, 1]^d}) with values {@code y[i]}.
     *
     * @param noise noise variance relative to the standardized targets, e.g. 1e-4
     */
    public static GaussianProcess fit(double[][] x, double[] y, double noise) {
        Objects.requireNonNull(x, "x");
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need ≥ 1 point and one value per point, got " + x.length + " and "
                    + y.length);
        }
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("objective value " + v + " is not finite");
            }
        }
        double m = 0;
        for (double v : y) {
            m += v;
        }
        m /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - m) * (v - m);
        }
        double s = y.length > 1 && var > 0 ? Math.sqrt(var / y.length) : 1;
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            z[i] = (y[i] - m) / s;
        }
        GaussianProcess best = null;
        for (double l : LENGTH_SCALES) {
            GaussianProcess gp = fit(x, z, m, s, noise, l);
            if (best == null || gp.logMarginalLikelihood > best.logMarginalLikelihood) {
                best = gp;
            }
        }
        return best;
    }

    private static GaussianProcess fit(double[][] x, double[] z, double m, double s, double noise, double l) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                k[i][j] = kernel(x[i], x[j], l);
                k[j][i] = k[i][j];
            }
            k[i][i] += noise;
        }
        double[][] c = cholesky(k);
        double[] alpha = solveUpper(c, solveLower(c, z));
        double lml = 0;
        for (int i = 0; i < n; i++) {
            lml -= 0.5 * z[i] * alpha[i] + Math.log(c[i][i]);
        }
        lml -= 0.5 * n * Math.log(2 * Math.PI);
        return new GaussianProcess(x, m, s, noise, l, c, alpha, lml);
    }

    static double kernel(double[] a, double[] b, double l) {
        double d2 = 0;
        for (int i = 0; i < a.length; i++) {
            d2 += (a[i] - b[i]) * (a[i] - b[i]);
        }
        double r = Math.sqrt(5 * d2) / l;
        return (1 + r + r * r / 3) * Math.exp(-r);
    }

    /** Predictive mean and standard deviation at {@code p}, in the units of the fitted values. */
    public double[] predict(double[] p) {
        int n = x.length;
        double[] ks = new double[n];
        for (int i = 0; i < n; i++) {
            ks[i] = kernel(x[i], p, lengthScale);
        }
        double mu = 0;
        for (int i = 0; i < n; i++) {
            mu += ks[i] * alpha[i];
        }
        double[] v = solveLower(chol, ks);
        double var = 1;
        for (double e : v) {
            var -= e * e;
        }
        return new double[] {mean + std * mu, std * Math.sqrt(Math.max(var, 0))};
    }

    public double lengthScale() {
        return lengthScale;
    }

    public double noise() {
        return noise;
    }

    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** Lower-triangular {@code L} with {@code L·Lᵀ = a}; adds jitter if rounding makes a pivot non-positive. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (!(d > 0)) {
                d = 1e-12; // a duplicated point: the noise term normally prevents this
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double v = a[i][j];
                for (int k = 0; k < j; k++) {
                    v -= l[i][k] * l[j][k];
                }
                l[i][j] = v / l[j][j];
            }
        }
        return l;
    }

    static double[] solveLower(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) {
                v -= l[i][k] * y[k];
            }
            y[i] = v / l[i][i];
        }
        return y;
    }

    static double[] solveUpper(double[][] l, double[] y) {
        int n = y.length;
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = y[i];
            for (int k = i + 1; k < n; k++) {
                v -= l[k][i] * x[k];
            }
            x[i] = v / l[i][i];
        }
        return x;
    }
}
