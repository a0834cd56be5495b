package io.lowbit.train.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Minimizes a noisy, expensive function over a box by Bayesian optimization: {@code initialPoints} random points,
 * then each {@link #ask} fits a {@link GaussianProcess} to all observations and returns the candidate of largest
 * {@link ExpectedImprovement} among {@code candidates} random points and perturbations of the best point so far.
 * Ask/tell: the caller evaluates and reports, so a killed search resumes from its saved {@link State} (every
 * proposal is a function of the seed and the observations, hence reproducible).
 */
public final class BayesianOptimizer {

    /** Noise variance of the standardized objective. */
    static final double NOISE = 1e-4;

    /**
     * Settings.
     *
     * @param initialPoints random points before the surrogate is used
     * @param candidates    random candidates per proposal
     * @param xi            EI exploration margin, in objective units
     * @param seed          seed of all random choices
     */
    public record Settings(int initialPoints, int candidates, double xi, long seed) {

        public Settings {
            if (initialPoints < 1 || candidates < 1 || !(xi >= 0)) {
                throw new IllegalArgumentException("need initialPoints ≥ 1, candidates ≥ 1, xi ≥ 0");
            }
        }

        public static Settings defaults(long seed) {
            return new Settings(5, 2000, 0.0, seed);
        }
    }

    /** An evaluated point (in the dimensions' units) and its objective value. */
    public record Observation(double[] point, double value) {
    }

    /** Everything needed to resume: the space, the settings and the observations so far. */
    public record State(List<Dimension> space, Settings settings, List<Observation> observations) {

        public State {
            space = List.copyOf(space);
            observations = List.copyOf(observations);
        }
    }

    private final List<Dimension> space;
    private final Settings settings;
    private final List<Observation> observations = new ArrayList<>();

    public BayesianOptimizer(List<Dimension> space, Settings settings) {
        if (space.isEmpty()) {
            throw new IllegalArgumentException("empty search space");
        }
        this.space = List.copyOf(space);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public static BayesianOptimizer resume(State state) {
        BayesianOptimizer o = new BayesianOptimizer(state.space(), state.settings());
        for (Observation ob : state.observations()) {
            o.tell(ob.point(), ob.value());
        }
        return o;
    }

    public State state() {
        return new State(space, settings, observations);
    }

    /** Random draws tried for a feasible point before the constraint is declared unsatisfiable. */
    static final int FEASIBLE_DRAWS = 100_000;

    /** The next point to evaluate. */
    public double[] ask() {
        return ask(p -> true);
    }

    /**
     * The next point to evaluate among those {@code feasible} accepts (a known constraint, e.g. a size budget):
     * random feasible points first, then the feasible candidate of largest expected improvement.
     *
     * @throws IllegalStateException if no feasible point turns up in {@link #FEASIBLE_DRAWS} random draws
     */
    public double[] ask(Predicate<double[]> feasible) {
        SplittableRandom rng = new SplittableRandom(settings.seed() * 1_000_003L + observations.size());
        if (observations.size() < settings.initialPoints()) {
            return randomFeasible(rng, feasible);
        }
        double[][] x = new double[observations.size()][];
        double[] y = new double[observations.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = normalize(observations.get(i).point());
            y[i] = observations.get(i).value();
        }
        GaussianProcess gp = GaussianProcess.fit(x, y, NOISE);
        Observation best = best();
        double[] bestUnit = normalize(best.point());
        double[] chosen = null;
        double chosenEi = -1;
        for (int c = 0; c < settings.candidates(); c++) {
            double[] u = c % 4 == 3 ? perturb(bestUnit, rng) : randomUnit(rng);
            double[] p = denormalize(u);
            if (seen(p) || !feasible.test(p)) {
                continue;
            }
            double[] pred = gp.predict(normalize(p));
            double ei = ExpectedImprovement.of(pred[0], pred[1], best.value(), settings.xi());
            if (ei > chosenEi) {
                chosenEi = ei;
                chosen = p;
            }
        }
        // every candidate seen or infeasible: a small integer box, or a narrow feasible region
        return chosen != null ? chosen : randomFeasible(rng, feasible);
    }

    private double[] randomFeasible(SplittableRandom rng, Predicate<double[]> feasible) {
        for (int i = 0; i < FEASIBLE_DRAWS; i++) {
            double[] p = denormalize(randomUnit(rng));
            if (feasible.test(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no feasible point in " + FEASIBLE_DRAWS + " random draws of " + space);
    }

    public void tell(double[] point, double value) {
        if (point.length != space.size()) {
            throw new IllegalArgumentException("point has " + point.length + " coordinates, the space "
                    + space.size());
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("objective value " + value + " is not finite (diverged run?)");
        }
        observations.add(new Observation(point.clone(), value));
    }

    public Observation best() {
        return observations.stream().min((a, b) -> Double.compare(a.value(), b.value()))
                .orElseThrow(() -> new IllegalStateException("no observations yet"));
    }

    public List<Observation> observations() {
        return List.copyOf(observations);
    }

    private boolean seen(double[] p) {
        return observations.stream().anyMatch(o -> Arrays.equals(o.point(), p));
    }

    private double[] randomUnit(SplittableRandom rng) {
        double[] u = new double[space.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextDouble();
        }
        return u;
    }

    /** Gaussian step of 0.1 per unit coordinate around {@code u}. */
    private static double[] perturb(double[] u, SplittableRandom rng) {
        double[] v = u.clone();
        for (int i = 0; i < v.length; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            v[i] = Math.min(1, Math.max(0, v[i] + 0.1 * g));
        }
        return v;
    }

    private double[] normalize(double[] p) {
        double[] u = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            u[i] = space.get(i).normalize(p[i]);
        }
        return u;
    }

    private double[] denormalize(double[] u) {
        double[] p = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            p[i] = space.get(i).value(u[i]);
        }
        return p;
    }
}
