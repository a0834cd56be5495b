package io.lowbit.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.lowbit.train.data.Augmentation;
import io.lowbit.train.data.Batch;
import io.lowbit.train.data.BatchLoader;
import io.lowbit.train.data.InputEncoding;
import io.lowbit.train.data.LabeledImages;
import java.nio.FloatBuffer;

/** Inference-mode evaluation (BN with running statistics, no augmentation) of a network on a labeled set. */
public final class Evaluator {

    private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();

    private Evaluator() {
    }

    /** Mean cross-entropy, accuracy and counts of one evaluation. */
    public record Result(double loss, double accuracy, long correct, long total) {
    }

    /**
     * Evaluates {@code net} on {@code data}, each pixel fed as {@code input} encodes it (the encoding the model was
     * trained on: {@code TrainedModel.networkInput}).
     */
    public static Result evaluate(Block net, NDManager manager, LabeledImages data, InputEncoding input,
                                  int batchSize) {
        ParameterStore ps = new ParameterStore(manager, false);
        double lossSum = 0;
        long correct = 0;
        try (BatchLoader loader = BatchLoader.forEpoch(data, batchSize, false, false, Augmentation.NONE, input, 0, 0)) {
            while (loader.hasNext()) {
                Batch b = loader.next();
                try (NDManager sm = manager.newSubManager()) {
                    NDArray x = images(sm, b);
                    NDArray y = labels(sm, b);
                    NDArray logits = net.forward(ps, new NDList(x), false).singletonOrThrow();
                    lossSum += CROSS_ENTROPY.evaluate(new NDList(y), new NDList(logits)).getFloat() * b.size();
                    correct += countCorrect(logits, y);
                }
            }
        }
        long total = data.size();
        return new Result(lossSum / total, (double) correct / total, correct, total);
    }

    /**
     * The predicted class of every image of {@code data} in order (the first largest logit, as the integer engines
     * break ties, integer-semantics.md §15).
     */
    public static int[] predictions(Block net, NDManager manager, LabeledImages data, InputEncoding input,
                                    int batchSize) {
        ParameterStore ps = new ParameterStore(manager, false);
        int[] predicted = new int[data.size()];
        int next = 0;
        try (BatchLoader loader = BatchLoader.forEpoch(data, batchSize, false, false, Augmentation.NONE, input, 0, 0)) {
            while (loader.hasNext()) {
                Batch b = loader.next();
                try (NDManager sm = manager.newSubManager()) {
                    NDArray logits = net.forward(ps, new NDList(images(sm, b)), false).singletonOrThrow();
                    float[] v = logits.toFloatArray();
                    int k = (int) logits.getShape().get(1);
                    for (int i = 0; i < b.size(); i++) {
                        int best = 0;
                        for (int c = 1; c < k; c++) {
                            best = v[i * k + c] > v[i * k + best] ? c : best;
                        }
                        predicted[next++] = best;
                    }
                }
            }
        }
        return predicted;
    }

    static NDArray images(NDManager m, Batch b) {
        return m.create(FloatBuffer.wrap(b.data()), new Shape(b.size(), 3, 32, 32));
    }

    static NDArray labels(NDManager m, Batch b) {
        long[] l = new long[b.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = b.labels()[i];
        }
        return m.create(l);
    }

    static long countCorrect(NDArray logits, NDArray labels) {
        return logits.argMax(1).eq(labels).countNonzero().getLong();
    }

    static Loss crossEntropy() {
        return CROSS_ENTROPY;
    }
}
