package io.lowbit.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.Rounding;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator is deterministic and, over a few hundred seeds, produces every feature the tests rely on. */
class RandomModelsTest {

    @Test
    void coversEveryOpAndVariant() {
        Set<String> features = new HashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            IntegerModel m = RandomModels.model(seed);
            features.add(m.inputNode().output().hasPerChannelZeroPoints() ? "input:pixels" : "input:codes");
            features.add("output:" + m.outputNode().op().kind());
            for (Node n : m.nodes()) {
                features.add(n.op().kind());
                if (n.op() instanceof WeightedOp w) {
                    features.add("weights:" + w.weights().getClass().getSimpleName());
                    features.add("stage:" + w.outputStage().kind());
                    if (w.outputStage() instanceof OutputStage.Requantize r) {
                        features.add("rounding:" + r.requantizer().rounding());
                    }
                    if (n.output().hasPerChannelScales()) {
                        features.add("per-channel logits");
                    }
                    if (w.weights().codeType().bits() == 16) {
                        features.add("int16 weights");
                    }
                }
                if (n.op() instanceof Conv2d c && c.groups() > 1) {
                    features.add(c.groups() == m.inputInfos(n).get(0).shape().channels() ? "depthwise" : "grouped");
                }
                if (n.output().type().bits() == 16) {
                    features.add("16-bit activations");
                }
                if (n.op() instanceof AvgPool a && a.window().isGlobalFor(m.inputInfos(n).get(0).shape().height(),
                        m.inputInfos(n).get(0).shape().width())) {
                    features.add("global avg pool");
                }
            }
        }
        Set<String> wanted = new HashSet<>(Set.of("input:pixels", "input:codes", "conv2d", "linear", "max_pool",
                "avg_pool", "add", "channel_pad_subsample", "weights:IntegerWeights", "weights:CodebookWeights",
                "stage:requantize", "stage:shift", "stage:accumulator", "per-channel logits", "int16 weights",
                "depthwise", "grouped", "16-bit activations", "global avg pool", "output:linear", "output:avg_pool"));
        for (Rounding r : Rounding.values()) {
            wanted.add("rounding:" + r);
        }
        wanted.removeAll(features);
        assertTrue(wanted.isEmpty(), "never generated: " + wanted);
    }
}
