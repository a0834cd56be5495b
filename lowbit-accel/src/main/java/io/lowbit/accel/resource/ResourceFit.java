package io.lowbit.accel.resource;

import java.util.List;

/**
 * Fits the {@link ResourceModel} coefficients to synthesis samples: LUTs and flip-flops separately, by least squares
 * on the relative error (each sample's row divided by its measured value), so a small instance weighs as much as
 * the full unit. A ridge term (10⁻⁶ of each feature's own weight, Marquardt-scaled) keeps features that the samples
 * barely separate from trading huge opposite coefficients.
 */
public final class ResourceFit {

    private static final double RIDGE = 1e-6;

    private ResourceFit() {
    }

    public static ResourceModel fit(List<CalibrationSample> samples) {
        int n = ResourceModel.FEATURES.size();
        double[][] lutRows = new double[samples.size()][];
        double[][] ffRows = new double[samples.size()][];
        double[] lutY = new double[samples.size()];
        double[] ffY = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            CalibrationSample s = samples.get(i);
            double[][] f = ResourceModel.features(s.config());
            lutRows[i] = f[0];
            ffRows[i] = f[1];
            lutY[i] = s.measured().luts();
            ffY[i] = s.measured().flipFlops();
        }
        return new ResourceModel(nonNegative(lutRows, lutY, n), nonNegative(ffRows, ffY, n));
    }

    /**
     * Least squares with every coefficient ≥ 0 (no component has negative resources): solve, drop the most negative
     * feature (its coefficient becomes 0), solve again, until none is negative.
     */
    static double[] nonNegative(double[][] rows, double[] y, int n) {
        boolean[] active = new boolean[n];
        java.util.Arrays.fill(active, true);
        while (true) {
            double[][] masked = new double[rows.length][n];
            for (int r = 0; r < rows.length; r++) {
                for (int i = 0; i < n; i++) {
                    masked[r][i] = active[i] ? rows[r][i] : 0;
                }
            }
            double[] x = solve(masked, y, n);
            int worst = -1;
            for (int i = 0; i < n; i++) {
                if (active[i] && x[i] < 0 && (worst < 0 || x[i] < x[worst])) {
                    worst = i;
                }
            }
            if (worst < 0) {
                return x;
            }
            active[worst] = false;
        }
    }

    /** Relative error of the model on a sample's LUTs and flip-flops: {@code (estimate − measured) / measured}. */
    public static double[] relativeError(ResourceModel model, CalibrationSample s) {
        Resources e = model.estimate(s.config()).convUnitTotal();
        return new double[] {(double) (e.luts() - s.measured().luts()) / s.measured().luts(),
            (double) (e.flipFlops() - s.measured().flipFlops()) / s.measured().flipFlops()};
    }

    /** Weighted ridge least squares {@code min Σ ((x·a − y)/y)² + λ·Σ d_i a_i²} by the normal equations. */
    static double[] solve(double[][] rows, double[] y, int n) {
        double[][] a = new double[n][n + 1];
        for (int r = 0; r < rows.length; r++) {
            double w = 1.0 / (y[r] * y[r]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i][j] += w * rows[r][i] * rows[r][j];
                }
                a[i][n] += w * rows[r][i] * y[r];
            }
        }
        for (int i = 0; i < n; i++) {
            a[i][i] *= 1 + RIDGE; // scaled to each feature, so the units of the features do not matter
        }
        // Gaussian elimination with partial pivoting
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = 0; r < n; r++) {
                if (r != c && a[c][c] != 0) {
                    double f = a[r][c] / a[c][c];
                    for (int k = c; k <= n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][i] == 0 ? 0 : a[i][n] / a[i][i];
        }
        return x;
    }
}
