package io.lowbit.train.loop;

import java.util.Locale;

/**
 * Optimizer hyperparameters. {@code kind} is "sgd" (momentum, optional Nesterov; PyTorch's formulation
 * {@code v ← μv + g; w ← w − lr·v}, Nesterov {@code w ← w − lr·(g + μv)}) or "adam" (Kingma &amp; Ba with bias
 * correction). Weight decay is L2 added to the gradient of conv/linear weights only (not biases, BN or
 * quantizer parameters).
 */
public record OptimizerConfig(String kind, double momentum, boolean nesterov, double beta1, double beta2,
                              double epsilon, double weightDecay) {

    public OptimizerConfig {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!kind.equals("sgd") && !kind.equals("adam")) {
            throw new IllegalArgumentException("unknown optimizer '" + kind + "'; choose sgd or adam");
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        }
    }

    public static OptimizerConfig sgd(double momentum, boolean nesterov, double weightDecay) {
        return new OptimizerConfig("sgd", momentum, nesterov, 0.9, 0.999, 1e-8, weightDecay);
    }

    public static OptimizerConfig adam(double weightDecay) {
        return new OptimizerConfig("adam", 0, false, 0.9, 0.999, 1e-8, weightDecay);
    }
}
