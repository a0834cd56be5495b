package io.lowbit.train.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.train.loop.Json;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {

    @Test
    void choleskySolvesASymmetricPositiveSystem() {
        double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
        double[][] l = GaussianProcess.cholesky(a);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double v = 0;
                for (int k = 0; k < 3; k++) {
                    v += l[i][k] * l[j][k];
                }
                assertEquals(a[i][j], v, 1e-12);
            }
        }
        double[] x = GaussianProcess.solveUpper(l, GaussianProcess.solveLower(l, new double[] {1, 2, 3}));
        for (int i = 0; i < 3; i++) {
            assertEquals(new double[] {1, 2, 3}[i], a[i][0] * x[0] + a[i][1] * x[1] + a[i][2] * x[2], 1e-12);
        }
    }

    @Test
    void theSurrogateInterpolatesItsDataAndIsUnsureFarAway() {
        double[][] x = {{0.1}, {0.3}, {0.5}, {0.7}};
        double[] y = {1, 3, 2, 5};
        GaussianProcess gp = GaussianProcess.fit(x, y, 1e-6);
        for (int i = 0; i < x.length; i++) {
            double[] p = gp.predict(x[i]);
            assertEquals(y[i], p[0], 0.01);
            assertTrue(p[1] < 0.05, "sd at data " + p[1]);
        }
        assertTrue(gp.predict(new double[] {1.0})[1] > gp.predict(new double[] {0.6})[1]);
    }

    @Test
    void expectedImprovementIsNonNegativeAndPrefersLowMeanOrHighUncertainty() {
        assertEquals(0.0, ExpectedImprovement.of(2, 0, 1, 0), 0);
        assertEquals(1.0, ExpectedImprovement.of(0, 0, 1, 0), 1e-12);
        assertTrue(ExpectedImprovement.of(0.5, 0.1, 1, 0) > ExpectedImprovement.of(0.9, 0.1, 1, 0));
        assertTrue(ExpectedImprovement.of(1.5, 1, 1, 0) > ExpectedImprovement.of(1.5, 0.1, 1, 0));
        assertEquals(0.5, ExpectedImprovement.normalCdf(0), 1e-7);
        assertEquals(0.975, ExpectedImprovement.normalCdf(1.959964), 1e-6);
    }

    /** Branin (3 global minima of 0.397887) in 25 evaluations: BO beats random search with the same budget. */
    @Test
    void findsTheBraninMinimumBetterThanRandomSearch() {
        List<Dimension> space = List.of(new Dimension("x1", -5, 10, false), new Dimension("x2", 0, 15, false));
        ToDoubleFunction<double[]> branin = p -> {
            double a = p[1] - 5.1 / (4 * Math.PI * Math.PI) * p[0] * p[0] + 5 / Math.PI * p[0] - 6;
            return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(p[0]) + 10;
        };
        int wins = 0;
        for (long seed = 1; seed <= 3; seed++) {
            BayesianOptimizer bo = new BayesianOptimizer(space, new BayesianOptimizer.Settings(5, 1000, 0.0, seed));
            for (int i = 0; i < 25; i++) {
                double[] p = bo.ask();
                bo.tell(p, branin.applyAsDouble(p));
            }
            SplittableRandom rng = new SplittableRandom(seed);
            double random = Double.MAX_VALUE;
            for (int i = 0; i < 25; i++) {
                random = Math.min(random, branin.applyAsDouble(new double[] {-5 + 15 * rng.nextDouble(),
                    15 * rng.nextDouble()}));
            }
            double found = bo.best().value();
            assertTrue(found < 1.0, "seed " + seed + ": BO found " + found);
            wins += found < random ? 1 : 0;
        }
        assertTrue(wins >= 2, "BO beat random search on " + wins + " of 3 seeds");
    }

    /**
     * Branin under the constraint x1 + x2 ≤ 5, which excludes two of its three minima (the feasible one,
     * (π, 2.275), has x1 + x2 = 5.42 > 5, so the constrained optimum lies on the boundary): every proposal is
     * feasible and the best found is near the constrained optimum; an unsatisfiable constraint is reported.
     */
    @Test
    void everyProposalMeetsAKnownConstraint() {
        List<Dimension> space = List.of(new Dimension("x1", -5, 10, false), new Dimension("x2", 0, 15, false));
        ToDoubleFunction<double[]> branin = p -> {
            double a = p[1] - 5.1 / (4 * Math.PI * Math.PI) * p[0] * p[0] + 5 / Math.PI * p[0] - 6;
            return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(p[0]) + 10;
        };
        java.util.function.Predicate<double[]> feasible = p -> p[0] + p[1] <= 5;
        // the constrained optimum, by a fine grid over the boundary and the interior
        double optimum = Double.MAX_VALUE;
        for (double x1 = -5; x1 <= 10; x1 += 0.005) {
            for (double x2 = 0; x2 <= 15 && x1 + x2 <= 5; x2 += 0.005) {
                optimum = Math.min(optimum, branin.applyAsDouble(new double[] {x1, x2}));
            }
        }
        BayesianOptimizer bo = new BayesianOptimizer(space, new BayesianOptimizer.Settings(5, 1000, 0.0, 3));
        for (int i = 0; i < 30; i++) {
            double[] p = bo.ask(feasible);
            assertTrue(feasible.test(p), "proposal " + i + " " + java.util.Arrays.toString(p) + " is infeasible");
            bo.tell(p, branin.applyAsDouble(p));
        }
        assertTrue(optimum > 0.3979 + 0.01, "the constraint excludes the unconstrained minima: " + optimum);
        assertTrue(bo.best().value() < optimum + 0.5, "found " + bo.best().value() + ", constrained optimum "
                + optimum);
        BayesianOptimizer none = new BayesianOptimizer(space, BayesianOptimizer.Settings.defaults(1));
        assertThrows(IllegalStateException.class, () -> none.ask(p -> false));
    }

    @Test
    void aResumedSearchProposesWhatTheUninterruptedOneWould() throws Exception {
        List<Dimension> space = List.of(new Dimension("p", 0, 0.9, false), new Dimension("b", 1, 4, true));
        ToDoubleFunction<double[]> f = p -> (p[0] - 0.4) * (p[0] - 0.4) + 0.1 * Math.abs(p[1] - 2);
        BayesianOptimizer a = new BayesianOptimizer(space, BayesianOptimizer.Settings.defaults(7));
        for (int i = 0; i < 8; i++) {
            double[] p = a.ask();
            assertEquals(Math.rint(p[1]), p[1], 0, "integer dimension");
            a.tell(p, f.applyAsDouble(p));
        }
        String saved = Json.MAPPER.writeValueAsString(a.state());
        BayesianOptimizer b = BayesianOptimizer.resume(Json.MAPPER.readValue(saved, BayesianOptimizer.State.class));
        assertArrayEquals(a.ask(), b.ask());
        assertThrows(IllegalArgumentException.class, () -> b.tell(new double[] {0.1, 2}, Double.NaN));
    }
}
