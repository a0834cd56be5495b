package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.lowbit.train.data.Batch;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.ParameterOptimizer;
import io.lowbit.train.loop.TrainStep;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each method installs through {@link QuantPlan} on tiny models and trains a step: finite, with gradients. */
class LearnedQuantPlanTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resnet20 | 0.25  | lsq:w=4,a=4",
        "nin      | 0.125 | lsq:w=3,a=3,gran=channel; first=lsq:w=8,a=8",
        "resnet20 | 0.25  | pact:w=4,a=4,alpha0=1",
        "nin      | 0.125 | pact:w=2,a=2,alpha0=1",
        "resnet20 | 0.25  | dorefa:w=4,a=4",
        "nin      | 0.125 | dorefa:w=2,a=2",
        "nin      | 0.125 | dorefa:w=4,a=4,bn=after",
        "nin      | 0.125 | pact:w=4,a=4,alpha0=1,bn=after",
        "resnet20 | 0.25  | lsfq:w=4,a=4,gran=channel",
        "nin      | 0.125 | lsfq:w=3,a=3,tau=0.2; last=float",
    })
    void trainingStepGivesFiniteGradientsToEveryQuantizerParameter(String model, double width, String spec) {
        SequentialBlock net = Models.build(ModelSpec.of(model, width, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse(spec));
        try (NDManager root = NDManager.newBaseManager()) {
            Networks.initialize(net, root, 2);
            plan.setFolded(true);
            Map<String, Parameter> quantizerParams = new LinkedHashMap<>();
            Networks.namedParameters(net).forEach((name, p) -> {
                if (name.contains("Transform")) {
                    quantizerParams.put(name, p);
                }
            });
            boolean learned = !spec.startsWith("dorefa");
            assertEquals(learned, !quantizerParams.isEmpty(), "quantizer parameters " + quantizerParams.keySet());
            ParameterStore ps = new ParameterStore(root, false);
            try (NDManager sm = root.newSubManager()) {
                NDArray x = sm.randomNormal(new Shape(4, 3, 32, 32));
                NDArray labels = sm.create(new float[] {1, 3, 5, 7});
                NDArray loss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(ps, new NDList(x), true).singletonOrThrow();
                    loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                    gc.backward(loss);
                }
                assertTrue(Float.isFinite(loss.getFloat()), spec + ": loss " + loss.getFloat());
                for (Map.Entry<String, Parameter> e : quantizerParams.entrySet()) {
                    NDArray a = e.getValue().getArray();
                    for (float v : a.toFloatArray()) {
                        assertTrue(v > 0 && Float.isFinite(v), e.getKey() + " = " + v);
                    }
                    boolean nonZero = false;
                    for (float d : a.getGradient().toFloatArray()) {
                        assertTrue(Float.isFinite(d), e.getKey() + " gradient " + d);
                        nonZero |= d != 0;
                    }
                    // PACT's ∂/∂α = 1[x ≥ α]: an average pool of values already clipped at α reaches α only when
                    // all of them are clipped, so a pool output's α may legitimately get none
                    boolean pactPool = spec.startsWith("pact") && e.getKey().contains("Pool2d");
                    assertTrue(nonZero || pactPool, spec + ": " + e.getKey() + " gets no gradient");
                }
                for (var pair : net.getParameters()) {
                    Parameter p = pair.getValue();
                    if (p.requiresGradient()) {
                        NDArray g = p.getArray().getGradient();
                        assertFalse(g.isNaN().any().getBoolean(), spec + ": NaN gradient of " + pair.getKey());
                        if (p.getType() == Parameter.Type.WEIGHT) {
                            assertTrue(g.abs().max().getFloat() > 0, spec + ": the weight quantizer passes no "
                                    + "gradient to " + pair.getKey());
                        }
                    }
                }
            }
        }
    }

    /** Training steps (data initialization, then steady state) leave no arrays on the model's manager. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lsq:w=4,a=4,gran=channel | true",
        "lsfq:w=3,a=3 | true",
        "pact:w=4,a=4,alpha0=1 | true",
        "pact:w=4,a=4,alpha0=1,bn=after | false",
        "dorefa:w=4,a=4 | true",
    })
    void trainingStepsDoNotLeakIntoTheModelManager(String spec, boolean folded) {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.0625, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse(spec));
        try (NDManager root = NDManager.newBaseManager();
             ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0.9, false, 5e-4), root)) {
            Networks.initialize(net, root, 1);
            plan.setFolded(folded);
            TrainStep step = new TrainStep(net, Networks.namedParameters(net), opt, root);
            Batch batch = randomBatch(4);
            assertTrue(step.run(batch, 0.05).finite());
            int arraysAfterFirst = root.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                assertTrue(step.run(batch, 0.05).finite(), spec);
            }
            assertEquals(arraysAfterFirst, root.getManagedArrays().size(), spec + ": arrays leaked");
        }
    }

    private static Batch randomBatch(int n) {
        return io.lowbit.train.quant.QuantizedStepTest.randomBatch(n);
    }
}
