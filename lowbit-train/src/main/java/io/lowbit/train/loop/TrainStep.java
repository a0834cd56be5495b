package io.lowbit.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lowbit.train.data.Batch;
import java.util.Map;

/**
 * One optimization step on one batch: forward, cross-entropy, backward, update. Every array of the step lives
 * in a sub-manager closed at the end of the step, so PyTorch gets its memory back at once (with step arrays
 * left on a long-lived manager, training runs several times slower). The optimizer is not stepped when the
 * loss is not finite, so the weights stay those of the last good step.
 */
public final class TrainStep {

    private final Block net;
    private final Map<String, Parameter> params;
    private final ParameterOptimizer optimizer;
    private final NDManager root;
    private final ParameterStore ps;

    public TrainStep(Block net, Map<String, Parameter> params, ParameterOptimizer optimizer, NDManager root) {
        this.net = net;
        this.params = params;
        this.optimizer = optimizer;
        this.root = root;
        this.ps = new ParameterStore(root, false);
    }

    /** Loss of the batch (mean cross-entropy) and number of correct predictions, before the update. */
    public record Result(float loss, long correct) {
        public boolean finite() {
            return Float.isFinite(loss);
        }
    }

    public Result run(Batch batch, double learningRate) {
        try (NDManager sm = root.newSubManager()) {
            NDArray x = Evaluator.images(sm, batch);
            NDArray y = Evaluator.labels(sm, batch);
            NDArray logits;
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                loss = Evaluator.crossEntropy().evaluate(new NDList(y), new NDList(logits));
                gc.backward(loss);
            }
            float l = loss.getFloat();
            if (!Float.isFinite(l)) {
                return new Result(l, 0);
            }
            long correct = Evaluator.countCorrect(logits, y);
            optimizer.step(params, learningRate, sm);
            return new Result(l, correct);
        }
    }
}
