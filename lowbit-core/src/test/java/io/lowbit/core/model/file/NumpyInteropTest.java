package io.lowbit.core.model.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.SampleModels;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.WeightedOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format outside Java: NumPy loads every tensor of a .lbq (via Python's zipfile) with the dtype, shape, SHA-256 and
 * values the model holds, and numpy.save writes exactly the bytes {@link Npy} writes. Skipped when python3 with numpy
 * is not installed.
 */
class NumpyInteropTest {

    private static String python;

    @BeforeAll
    static void findNumpy() {
        for (String exe : new String[] {"python3", "python"}) {
            try {
                Process p = new ProcessBuilder(exe, "-c", "import numpy").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = exe;
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
    }

    private static String run(Path dir, String script, String... args) throws Exception {
        Path py = dir.resolve("check.py");
        Files.writeString(py, script);
        String[] cmd = new String[args.length + 2];
        cmd[0] = python;
        cmd[1] = py.toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(120, TimeUnit.SECONDS);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    private static void requireNumpy() {
        assumeTrue(python != null, "python3 with numpy is not installed (pip install numpy) — the NumPy interop check"
                + " is skipped; docs/integer-model-format.md specifies the bytes and NpyTest checks them by hand");
    }

    @Test
    void numpyLoadsEveryTensorOfTheModelFile(@TempDir Path dir) throws Exception {
        requireNumpy();
        IntegerModel model = SampleModels.everyOp();
        Path file = dir.resolve("every.lbq");
        IntegerModelFile.write(model, file);
        String out = run(dir, String.join("\n",
                "import hashlib, io, json, sys, zipfile",
                "import numpy as np",
                "z = zipfile.ZipFile(sys.argv[1])",
                "m = json.loads(z.read('model.json'))",
                "res = {}",
                "for t in m['tensors']:",
                "    b = z.read(t['file'])",
                "    a = np.load(io.BytesIO(b), allow_pickle=False)",
                "    res[t['name']] = {'dtype': str(a.dtype), 'shape': list(a.shape), 'values': a.ravel().tolist(),",
                "                      'sha256_ok': hashlib.sha256(b).hexdigest() == t['sha256'],",
                "                      'table_ok': t['dtype'] == str(a.dtype) and t['shape'] == list(a.shape)}",
                "print(json.dumps(res))"), file.toString());
        JsonNode loaded = new ObjectMapper().readTree(out);
        Map<String, int[]> expected = new HashMap<>();
        Map<String, String> dtypes = new HashMap<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof WeightedOp w) {
                if (w.weights() instanceof IntegerWeights iw) {
                    expected.put(n.id() + ".weight", iw.codes().toArray());
                    dtypes.put(n.id() + ".weight", "int8");
                } else {
                    expected.put(n.id() + ".weight_index", ((CodebookWeights) w.weights()).indexes().toArray());
                    dtypes.put(n.id() + ".weight_index", "uint8");
                }
                expected.put(n.id() + ".bias", w.bias().toArray());
                dtypes.put(n.id() + ".bias", "int32");
                if (w.outputStage() instanceof OutputStage.Requantize r) {
                    int[] m0 = new int[r.requantizer().channels()];
                    int[] s = new int[m0.length];
                    for (int o = 0; o < m0.length; o++) {
                        m0[o] = r.requantizer().multiplier(o).multiplierQ31();
                        s[o] = r.requantizer().multiplier(o).rightShift();
                    }
                    expected.put(n.id() + ".multiplier_q31", m0);
                    dtypes.put(n.id() + ".multiplier_q31", "int32");
                    expected.put(n.id() + ".right_shift", s);
                    dtypes.put(n.id() + ".right_shift", "int8");
                }
            }
        }
        assertEquals(expected.keySet(), toMap(loaded).keySet());
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            JsonNode t = loaded.get(e.getKey());
            assertEquals(dtypes.get(e.getKey()), t.get("dtype").asText(), e.getKey());
            assertEquals(true, t.get("sha256_ok").asBoolean(), e.getKey());
            assertEquals(true, t.get("table_ok").asBoolean(), e.getKey());
            int[] values = new int[t.get("values").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = t.get("values").get(i).asInt();
            }
            assertArrayEquals(e.getValue(), values, e.getKey());
        }
        Conv2d conv1 = (Conv2d) model.node("conv1").op();
        assertEquals(conv1.weights().shape().dims(), toList(loaded.get("conv1.weight").get("shape")));
        Linear fc = (Linear) model.node("fc").op();
        assertEquals(fc.weights().shape().dims(), toList(loaded.get("fc.weight").get("shape")));
    }

    @Test
    void numpySaveWritesTheSameBytesAsNpy(@TempDir Path dir) throws Exception {
        requireNumpy();
        String out = run(dir, String.join("\n",
                "import io, numpy as np",
                "cases = [np.array([1, -2, 3], dtype=np.int8), np.arange(24, dtype=np.uint8).reshape(2, 3, 4),",
                "         np.array([[-32768, 32767]], dtype='<i2'), np.arange(-60, 60, dtype='<i4').reshape(4, 5, 2, 3),",
                "         np.zeros((1234567,), dtype=np.int8)[:1], np.array([0.5, -2.0])]",
                "for a in cases:",
                "    b = io.BytesIO(); np.save(b, a); print(b.getvalue().hex())"));
        String[] lines = out.trim().split("\n");
        int[] m60 = new int[120];
        for (int i = 0; i < 120; i++) {
            m60[i] = i - 60;
        }
        int[] u24 = new int[24];
        for (int i = 0; i < 24; i++) {
            u24[i] = i;
        }
        byte[][] ours = {
            Npy.write(Npy.DType.INT8, Shape.of(3), new int[] {1, -2, 3}),
            Npy.write(Npy.DType.UINT8, Shape.of(2, 3, 4), u24),
            Npy.write(Npy.DType.INT16, Shape.of(1, 2), new int[] {-32768, 32767}),
            Npy.write(Npy.DType.INT32, Shape.of(4, 5, 2, 3), m60),
            Npy.write(Npy.DType.INT8, Shape.of(1), new int[] {0}),
            Npy.writeDoubles(Shape.of(2), new double[] {0.5, -2.0})};
        assertEquals(ours.length, lines.length, out);
        for (int k = 0; k < ours.length; k++) {
            assertEquals(lines[k], HexFormat.of().formatHex(ours[k]), "case " + k);
        }
    }

    private static Map<String, JsonNode> toMap(JsonNode n) {
        Map<String, JsonNode> m = new HashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static java.util.List<Integer> toList(JsonNode a) {
        java.util.List<Integer> l = new java.util.ArrayList<>();
        a.forEach(v -> l.add(v.asInt()));
        return l;
    }
}
