package io.lowbit.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.train.data.InputCodes;
import io.lowbit.train.data.Normalization;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recorded network input of learned methods ({@link TrainConfig#inputBits}), and old configs without it. */
class TrainConfigTest {

    private static TrainConfig config(String quant) {
        return new TrainConfig("nin", 0.0625, "cifar10-mini", "fine", 2, 50, OptimizerConfig.sgd(0.9, false, 5e-4),
                new LrSchedule("cosine", 0.01, 0, 2, List.of(), 0.1), 7, 50, 200, true, 100, quant, null, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lsq:w=4,a=4", "lsfq:w=4,a=4;first=lsfq:w=8,a=8", "pact:w=4,a=4", "dorefa:w=4,a=4",
        "fixed:fmt=Q3.5;conv1=lsq:w=8,a=8"})
    void aLearnedFirstLayerTrainsOnTheInt8InputCodes(String quant) {
        TrainConfig c = config(quant);
        assertEquals(8, c.inputBits());
        assertArrayEquals(InputCodes.of(Normalization.CIFAR10, 8).table(), c.inputCodes().table());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed:fmt=Q3.5", "clipq:p=0.2,b=2,fmt=Q3.5", "lsq:w=4,a=4;first=fixed:fmt=Q3.5",
        "lsq:w=4,a=4;first=float"})
    void otherFirstLayersAreUnchanged(String quant) throws IOException {
        TrainConfig c = config(quant);
        assertNull(c.inputBits());
        assertNull(c.inputCodes());
        assertNull(config(null).inputBits());
        assertFalse(Json.MAPPER.writeValueAsString(c).contains("inputBits"), "their config.json is as before");
        TrainConfig forced = new TrainConfig(c.model(), c.width(), c.dataset(), c.labels(), c.epochs(),
                c.batchSize(), c.optimizer(), c.schedule(), c.seed(), c.trainLimit(), c.testLimit(), c.augment(),
                c.evalBatchSize(), c.quant(), c.init(), c.foldBnFromEpoch(), 8);
        assertEquals(c, forced, "nothing to choose for a first layer that quantizes its input itself");
    }

    @Test
    void roundTripsThroughJsonAndKeepsItAcrossEpochChanges() throws IOException {
        TrainConfig c = config("lsq:w=4,a=4");
        String json = Json.MAPPER.writeValueAsString(c);
        assertTrue(json.contains("\"inputBits\" : 8"), json);
        assertEquals(c, Json.MAPPER.readValue(json, TrainConfig.class));
        assertEquals(8, c.withEpochs(5).inputBits());
    }

    /** A config (or checkpoint) written before inputBits existed: the float normalized input, as it trained. */
    @Test
    void anOldLearnedConfigWithoutTheFieldKeepsTheFloatInput() throws IOException {
        String json = Json.MAPPER.writeValueAsString(config("lsq:w=4,a=4")).replaceAll(",\\s*\"inputBits\" : 8", "");
        assertFalse(json.contains("inputBits"), json);
        TrainConfig old = Json.MAPPER.readValue(json, TrainConfig.class);
        assertNull(old.inputBits());
        assertNull(old.inputCodes());
        assertNull(old.withEpochs(3).inputBits());
    }

    @Test
    void rejectsInputBitsOutsideTheIntegerInputTypes() {
        TrainConfig c = config("lsq:w=4,a=4");
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(c.model(), c.width(), c.dataset(),
                c.labels(), c.epochs(), c.batchSize(), c.optimizer(), c.schedule(), c.seed(), c.trainLimit(),
                c.testLimit(), c.augment(), c.evalBatchSize(), c.quant(), c.init(), c.foldBnFromEpoch(), 9));
    }

    /** New pact/dorefa runs fold BN; a config written before bnPlacement keeps BN after the conv, as it trained. */
    @Test
    void pactAndDorefaFoldBatchNormUnlessConfiguredBefore() throws IOException {
        TrainConfig c = config("pact:w=4,a=4;conv9=dorefa:w=4,a=4,bn=after;conv2=lsq");
        assertEquals("fold", c.bnPlacement());
        assertEquals("fold", c.withEpochs(4).bnPlacement());
        assertEquals(c, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(c), TrainConfig.class));
        assertEquals("fold", c.quantSpec().schemeFor("conv1", true, false).params().get("bn"));
        assertEquals("after", c.quantSpec().schemeFor("conv9", false, true).params().get("bn"));

        String json = Json.MAPPER.writeValueAsString(c).replaceAll(",\\s*\"bnPlacement\" : \"fold\"", "");
        assertFalse(json.contains("bnPlacement"), json);
        TrainConfig old = Json.MAPPER.readValue(json, TrainConfig.class);
        assertNull(old.bnPlacement());
        assertEquals("after", old.quantSpec().schemeFor("conv1", true, false).params().get("bn"));
        assertEquals("after", old.quantSpec().schemeFor("conv9", false, true).params().get("bn"));
        assertNull(old.quantSpec().schemeFor("conv2", false, false).params().get("bn"), "lsq has no bn key");
        assertNull(old.withEpochs(3).bnPlacement());

        assertNull(config("lsq:w=4,a=4").bnPlacement(), "no pact or dorefa layer: nothing recorded");
        assertFalse(Json.MAPPER.writeValueAsString(config("lsq:w=4,a=4")).contains("bnPlacement"));
        assertNull(config(null).quantSpec());
    }
}
