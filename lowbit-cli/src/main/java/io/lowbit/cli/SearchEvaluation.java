package io.lowbit.cli;

import io.lowbit.train.search.BayesianOptimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a CLIP-Q search, as {@code search.json} keeps it: the layer searched and its proposal
 * {@code (p, b)}, the measured validation error, the benefits and the whole model's weight bits with that proposal
 * (the layers searched before at their chosen settings, the others uniform; counted as {@link ClipQSearch#bits}).
 *
 * @param layer        layer searched
 * @param k            1-based evaluation number within the layer
 * @param p            pruning rate proposed
 * @param b            bits proposed
 * @param error        validation error after the short fine-tuning
 * @param bitBenefit   bits saved by the layer relative to the float32 network
 * @param cycleBenefit simulated cycles saved relative to the uniform setting (0 without an accelerator)
 * @param cycles       simulated cycles (0 without an accelerator)
 * @param weightBits   weight bits of the whole model with this proposal
 */
record SearchEvaluation(String layer, int k, double p, int b, double error, double bitBenefit, double cycleBenefit,
        long cycles, double weightBits) {

    /** Float32 bits over {@link #weightBits}: the compression of the proposal's model. */
    double compression(long totalWeights) {
        return 32.0 * totalWeights / weightBits;
    }

    /**
     * Evaluations of a search saved before they were recorded (search.json without {@code evaluations}): with the
     * {@code bits} benefit the error is the objective plus {@code λ·bitBenefit}, which the settings determine, so
     * nothing is lost; other benefits kept the simulated cycles only in the log, and are refused.
     */
    static List<SearchEvaluation> reconstruct(SearchCommand.SearchState state) {
        Object benefit = state.settings().get("benefit");
        if (!"bits".equals(benefit)) {
            throw new IllegalArgumentException("this search.json (benefit " + benefit + ") predates the recorded "
                    + "evaluations; only a bits-benefit search can be redrawn from its objective values");
        }
        double lambda = ((Number) state.settings().get("lambda")).doubleValue();
        Map<String, Long> weights = state.weights();
        long total = weights.values().stream().mapToLong(Long::longValue).sum();
        Map<String, double[]> before = new LinkedHashMap<>();
        List<SearchEvaluation> out = new ArrayList<>();
        for (String layer : state.layers()) {
            BayesianOptimizer.State bo = state.optimizers().get(layer);
            if (bo == null) {
                break;
            }
            long n = weights.get(layer);
            int k = 0;
            for (BayesianOptimizer.Observation o : bo.observations()) {
                double p = o.point()[0];
                int b = o.point().length > 1 ? (int) o.point()[1] : SearchCommand.MIN_BITS;
                double bitB = (32.0 * n - ClipQSearch.bits(n, p, b)) / (32.0 * total);
                Map<String, double[]> with = new LinkedHashMap<>(before);
                with.put(layer, new double[] {p, b});
                out.add(new SearchEvaluation(layer, ++k, p, b, o.value() + lambda * bitB, bitB, 0, 0,
                        ClipQSearch.modelBits(weights, with)));
            }
            double[] chosen = state.chosen().get(layer);
            if (chosen == null) {
                break;
            }
            before.put(layer, chosen);
        }
        return out;
    }
}
