package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.model.WeightedOp;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference engine against {@link EmulatedEngine} (BigInteger, exact rational rounding, scatter convolution) on
 * random models, node by node; and every requantized output against real arithmetic: unless clamped, it lies within
 * ½ (nearest modes) or 1 (floor, truncate) of {@code Z + acc·M}.
 */
class ReferenceEngineVsEmulationTest {

    private static final int MODELS = 300;
    private static final int IMAGES = 3;

    @Test
    void agreesWithTheBigIntegerEmulationNodeByNode() {
        ReferenceEngine reference = new ReferenceEngine();
        long[] where = new long[3]; // requantized outputs at lo, at hi, inside
        long checked = 0;
        for (long seed = 0; seed < MODELS; seed++) {
            IntegerModel model = RandomModels.model(seed);
            SplittableRandom rng = new SplittableRandom(~seed);
            for (int k = 0; k < IMAGES; k++) {
                byte[] image = RandomModels.image(model, rng);
                EmulatedEngine emulated = new EmulatedEngine();
                Optional<NodeMismatch> m = EngineComparison.firstMismatch(emulated, reference, model, image);
                if (m.isPresent()) {
                    fail("seed " + seed + ", image " + k + ": " + m.get());
                }
                Map<String, IntTensor> outputs = reference.runAllNodes(model, image);
                for (Node node : model.nodes()) {
                    if (node.op() instanceof WeightedOp op) {
                        checked += checkAgainstReals(seed, node, op, emulated.accumulators.get(node.id()),
                                outputs.get(node.id()), where);
                    }
                }
                assertEquals(model.topClass(outputs.get(model.outputId()).toArray()), reference.predict(model, image));
            }
        }
        long total = where[0] + where[1] + where[2];
        assertTrue(checked > 10_000, "too few requantized outputs checked: " + checked);
        assertTrue(where[0] > total / 20 && where[1] > total / 50 && where[2] > total / 3,
                "outputs do not cover the range (at lo, at hi, inside): " + Arrays.toString(where));
    }

    /** §7–§9 against doubles: returns the number of elements checked. */
    private static long checkAgainstReals(long seed, Node node, WeightedOp op, BigInteger[] acc, IntTensor y,
            long[] where) {
        OutputStage stage = op.outputStage();
        if (stage instanceof OutputStage.Accumulator) {
            return 0;
        }
        OutputClamp clamp;
        Rounding rounding;
        if (stage instanceof OutputStage.Requantize r) {
            clamp = r.requantizer().output();
            rounding = r.requantizer().rounding();
        } else {
            clamp = ((OutputStage.Shift) stage).shift().output();
            rounding = ((OutputStage.Shift) stage).shift().rounding();
        }
        int perChannel = acc.length / op.outChannels();
        for (int i = 0; i < acc.length; i++) {
            int o = i / perChannel;
            double m = stage instanceof OutputStage.Requantize r ? r.requantizer().multiplier(o).toScale()
                    : Math.scalb(1.0, -((OutputStage.Shift) stage).shift().rightShift());
            double real = clamp.zeroPoint() + acc[i].doubleValue() * m;
            int v = y.get(i);
            if (v == clamp.lo() && real <= clamp.lo() + 1) {
                where[0]++;
            } else if (v == clamp.hi() && real >= clamp.hi() - 1) {
                where[1]++;
            } else {
                where[2]++;
                double bound = rounding == Rounding.ROUND_HALF_UP || rounding == Rounding.ROUND_HALF_EVEN ? 0.5 : 1.0;
                double err = Math.abs(v - real);
                if (err > bound + 1e-6 * Math.max(1, Math.abs(real))) {
                    fail("seed " + seed + ", node '" + node.id() + "' element " + i + ": acc " + acc[i] + " × M "
                            + m + " + Z " + clamp.zeroPoint() + " = " + real + ", engine " + v + " (" + rounding + ")");
                }
            }
        }
        return acc.length;
    }
}
