package io.lowbit.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsTest {

    /** Trainable parameters computed by hand from the published layer lists (conv weights, BN γ/β, FC). */
    @ParameterizedTest(name = "{0} has {2} trainable parameters for {1} classes")
    @CsvSource({
        // NIN (authors' code): conv weights 1,009,056 + BN 2·(96+160+192+96+192+192+384+192+10)
        "nin, 10, 1012084",
        // 100 classes: conv9 192·100 weights, BN 2·100
        "nin, 100, 1029544",
        // original NIN: 3·192·25 + 192·160 + 160·96 + 96·192·25 + 2·192² + 192·192·9 + 192² + 192·10 + BN
        "nin-lin, 10, 968404",
        // VGG-Small: convs 4,574,592 + FC 8192·10+10 + BN 2·(2·128+2·256+2·512)
        "vgg7, 10, 4660106",
        // ResNet-20 option A: the well-known 0.27 M
        "resnet20, 10, 269722",
        // MobileNetV2 (kuangliu): 2,296,922 as in its repository's model summary
        "mobilenetv2, 10, 2296922",
    })
    void parameterCountsMatchHandComputation(String model, int classes, long expected) {
        SequentialBlock net = Models.build(ModelSpec.of(model, 1.0, classes));
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.initialize(net, m, 1);
            assertEquals(expected, Networks.trainableParameterCount(net));
        }
    }

    @ParameterizedTest(name = "{0} at width {1} maps (2,3,32,32) to (2,{2})")
    @CsvSource({"nin, 0.125, 10", "nin-lin, 0.125, 10", "vgg7, 0.125, 10", "resnet20, 0.5, 10",
        "mobilenetv2, 0.25, 100"})
    void forwardGivesLogitsPerClass(String model, double width, int classes) {
        SequentialBlock net = Models.build(ModelSpec.of(model, width, classes));
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.initialize(net, m, 1);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            NDArray y = net.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, classes), y.getShape());
            assertEquals(new Shape(2, classes), net.getOutputShapes(new Shape[] {new Shape(2, 3, 32, 32)})[0]);
        }
    }

    @Test
    void ninMacsMatchHandComputation() {
        // 32×32: 3·96·9 + 96·160 + 160·192 per pixel · 1024; 16×16: 192·96·9 + 96·192 + 192² · 256;
        // 8×8: 192·384·9 + 384·192 + 192·10 · 64
        long expected = (3L * 96 * 9 + 96 * 160 + 160 * 192) * 1024 + (192L * 96 * 9 + 96 * 192 + 192 * 192) * 256
                + (192L * 384 * 9 + 384 * 192 + 192 * 10) * 64;
        assertEquals(expected, Networks.macsPerImage(Models.build(ModelSpec.of("nin", 1.0, 10))));
    }

    @Test
    void unitsAreListedInForwardOrder() {
        SequentialBlock net = Models.build(ModelSpec.of("resnet20", 0.5, 10));
        assertEquals(20, Networks.units(net).size()); // 19 convs + FC: the "20" of ResNet-20
        assertEquals(9, Networks.units(Models.build(ModelSpec.of("nin", 0.5, 10))).size());
    }

    @Test
    void unknownModelNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSpec.of("alexnet", 1, 10));
        assertEquals("unknown model 'alexnet'; choose one of [nin, nin-lin, vgg7, mobilenetv2, resnet20]",
                e.getMessage());
    }

    @Test
    void widthMultiplierScalesHiddenChannelsOnly() {
        ModelSpec s = ModelSpec.of("vgg7", 0.25, 10);
        assertEquals(32, s.channels(128));
        assertEquals(1, ModelSpec.of("vgg7", 0.001, 10).channels(128));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("vgg7", 0, 10));
    }
}
