package io.lowbit.train.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In inference a fake-quant network leaves only its units' outputs in the batch's manager (the intermediates are
 * freed as each unit returns), and the logits are unaffected.
 */
class InferenceScopeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mobilenetv2 | 0.25 | lsfq:w=4,a=4; first=lsfq:w=8,a=8; last=lsfq:w=8,a=8",
        "resnet20    | 0.25 | lsq:w=4,a=4",
        "nin         | 0.125 | clipq:p=0.2,b=2,fmt=Q3.5",
    })
    void inferenceKeepsUnitOutputsOnly(String model, double width, String spec) {
        SequentialBlock net = Models.build(ModelSpec.of(model, width, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse(spec));
        int units = Networks.units(net).size();
        try (NDManager root = NDManager.newBaseManager()) {
            Networks.initialize(net, root, 3);
            plan.setFolded(true);
            ParameterStore ps = new ParameterStore(root, false);
            float[] image = root.randomUniform(0, 1, new Shape(4, 3, 32, 32)).toFloatArray();
            float[] first = null;
            // A second pass would meet anything the first closed but the network still holds (a closed array throws).
            for (int pass = 0; pass < 2; pass++) {
                try (NDManager sm = root.newSubManager()) {
                    NDArray x = sm.create(image, new Shape(4, 3, 32, 32));
                    NDArray logits = net.forward(ps, new NDList(x), false).singletonOrThrow();
                    float[] v = logits.toFloatArray();
                    for (float f : v) {
                        assertTrue(Float.isFinite(f), model + ": logit " + f);
                    }
                    int kept = sm.getManagedArrays().size();
                    assertTrue(kept <= 2 * units + 8, model + ": " + kept + " arrays left in the batch's manager for "
                            + units + " units");
                    if (first == null) {
                        first = v;
                    } else {
                        assertArrayEquals(first, v, model + ": logits of the same batch differ between passes");
                    }
                }
            }
        }
    }
}
