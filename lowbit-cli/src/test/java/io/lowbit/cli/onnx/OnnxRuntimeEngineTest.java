package io.lowbit.cli.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.onnx.IntegerOnnxExport;
import io.lowbit.core.onnx.OnnxExportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime on the exact integer ONNX form must reproduce the lowbit engines bit for bit: on random models that
 * use every op, rounding mode and type the export supports, and on the trained CLIP-Q NIN with real CIFAR images.
 */
class OnnxRuntimeEngineTest {

    @Test
    void randomModelsAreBitExactWithTheReferenceEngine() {
        ReferenceEngine reference = new ReferenceEngine();
        int exported = 0;
        List<String> skipped = new ArrayList<>();
        try (OnnxRuntimeEngine ort = new OnnxRuntimeEngine(1)) {
            for (long seed = 1; seed <= 60; seed++) {
                IntegerModel model = RandomModels.model(seed);
                String why = IntegerOnnxExport.unsupportedReason(model);
                if (why != null) {
                    skipped.add(seed + ": " + why);
                    continue;
                }
                exported++;
                SplittableRandom rng = new SplittableRandom(seed);
                List<byte[]> images = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    images.add(RandomModels.image(model, rng));
                }
                int[][] got = ort.runBatch(model, images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(reference.run(model, images.get(i)), got[i], "seed " + seed + " image " + i);
                }
            }
        }
        // only 16-bit models may be skipped, and most models are not
        assertTrue(exported >= 40, "exported " + exported + " of 60; skipped " + skipped);
        skipped.forEach(s -> assertTrue(s.contains("16"), s));
    }

    @Test
    void trainedClipQNinIsBitExactOnRealImages() throws IOException {
        IntegerModel model = Fixtures.nin05ClipQ();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            images.add(Fixtures.cifarMiniTestImage(i));
        }
        int[][] expected = new FastEngine(1).runBatch(model, images);
        try (OnnxRuntimeEngine ort = new OnnxRuntimeEngine(2)) {
            int[][] got = ort.runBatch(model, images); // two ONNX Runtime calls: 64 + 6 images
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(expected[i], got[i], "image " + i);
            }
            assertArrayEquals(expected[3], ort.run(model, images.get(3)));
        }
    }

    @Test
    void floatFormMostlyAgreesWithTheIntegerModel() throws IOException {
        IntegerModel model = Fixtures.nin05ClipQ();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            images.add(Fixtures.cifarMiniTestImage(i));
        }
        int[][] integer = new FastEngine(1).runBatch(model, images);
        try (OnnxRuntimeFloat ort = new OnnxRuntimeFloat(1)) {
            float[][] real = ort.runBatch(model, images);
            int agree = 0;
            for (int i = 0; i < images.size(); i++) {
                assertEquals(10, real[i].length);
                if (OnnxRuntimeFloat.argmax(real[i]) == model.topClass(integer[i])) {
                    agree++;
                }
            }
            // no activation quantization in the float form: close, not equal (docs/onnx.md §3)
            assertTrue(agree >= 60, "float form agrees on " + agree + " of 100");
        }
    }

    @Test
    void qlinearFormIsCloseButNotExact() throws IOException {
        IntegerModel model = Fixtures.nin05ClipQ();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            images.add(Fixtures.cifarMiniTestImage(i));
        }
        int[][] integer = new FastEngine(1).runBatch(model, images);
        try (OnnxRuntimeEngine ort = new OnnxRuntimeEngine(1, 64, IntegerOnnxExport.Form.QLINEAR)) {
            assertEquals("onnxruntime-qlinear", ort.name());
            int[][] got = ort.runBatch(model, images);
            int agree = 0;
            for (int i = 0; i < images.size(); i++) {
                if (model.topClass(got[i]) == model.topClass(integer[i])) {
                    agree++;
                }
            }
            // float-rounded requantization flips a few codes per layer (docs/onnx.md §4)
            assertTrue(agree >= 90, "qlinear form agrees on " + agree + " of 100");
        }
    }

    @Test
    void badImagesAndUnexportableModelsAreRejectedWithReasons() {
        IntegerModel model = Fixtures.nin05ClipQ();
        try (OnnxRuntimeEngine ort = new OnnxRuntimeEngine(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ort.run(model, new byte[10]));
            assertTrue(e.getMessage().contains("3072"), e.getMessage());
        }
        for (long seed = 1; seed <= 200; seed++) {
            IntegerModel m = RandomModels.model(seed);
            String why = IntegerOnnxExport.unsupportedReason(m);
            if (why != null) {
                OnnxExportException e = assertThrows(OnnxExportException.class, () -> IntegerOnnxExport.export(m, "t"));
                assertTrue(e.getMessage().startsWith("node '") && e.getMessage().contains("16"), e.getMessage());
                return;
            }
        }
        throw new AssertionError("no random model with 16-bit types in 200 seeds");
    }
}
