package io.lowbit.core.model.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.model.SampleModels;
import io.lowbit.core.model.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .lbq file: round trips, determinism, and rejection of every kind of corrupt or hostile file. */
class IntegerModelFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "sample.lbq";

    private static byte[] sampleBytes() {
        return IntegerModelFile.toBytes(SampleModels.everyOp());
    }

    private static ModelFormatException rejects(byte[] file, String... fragments) {
        return rejects(file, ReadLimits.DEFAULT, fragments);
    }

    private static ModelFormatException rejects(byte[] file, ReadLimits limits, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> IntegerModelFile.fromBytes(file, NAME, limits));
        assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
        return e;
    }

    /** The sample's entries with model.json edited. */
    private static byte[] withJson(Consumer<ObjectNode> edit) throws Exception {
        Map<String, byte[]> entries = ZipBytes.entries(sampleBytes());
        ObjectNode root = (ObjectNode) JSON.readTree(entries.get("model.json"));
        edit.accept(root);
        entries.put("model.json", JSON.writeValueAsBytes(root));
        return ZipBytes.write(entries);
    }

    private static ObjectNode node(ObjectNode root, String id) {
        for (var n : root.get("nodes")) {
            if (n.get("id").asText().equals(id)) {
                return (ObjectNode) n;
            }
        }
        throw new AssertionError(id);
    }

    private static ObjectNode tensorRow(ObjectNode root, String name) {
        for (var n : root.get("tensors")) {
            if (n.get("name").asText().equals(name)) {
                return (ObjectNode) n;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void roundTripsTheSampleModelWithIdenticalBytes(@TempDir Path dir) throws Exception {
        IntegerModel model = SampleModels.everyOp();
        Path file = dir.resolve("every-op.lbq");
        IntegerModelFile.write(model, file);
        IntegerModel back = IntegerModelFile.read(file);
        assertEquals(model, back);
        assertEquals(model.fingerprint(), back.fingerprint());
        assertArrayEquals(Files.readAllBytes(file), IntegerModelFile.toBytes(back));
        assertArrayEquals(Files.readAllBytes(file), IntegerModelFile.toBytes(SampleModels.everyOp()));
    }

    @Test
    void roundTripsRandomModels() throws Exception {
        for (long seed = 0; seed < 150; seed++) {
            IntegerModel model = RandomModels.model(seed);
            byte[] bytes = IntegerModelFile.toBytes(model);
            IntegerModel back = IntegerModelFile.fromBytes(bytes, "random-" + seed + ".lbq");
            assertEquals(model, back, "seed " + seed);
            assertEquals(model.fingerprint(), back.fingerprint());
            assertArrayEquals(bytes, IntegerModelFile.toBytes(back), "seed " + seed);
        }
    }

    @Test
    void layoutIsModelJsonThenTensorsStoredWithFixedTimes() throws Exception {
        byte[] bytes = sampleBytes();
        List<String> names = new ArrayList<>(ZipBytes.entries(bytes).keySet());
        assertEquals("model.json", names.get(0));
        assertEquals(List.of("model.json", "tensors/conv1.weight.npy", "tensors/conv1.bias.npy",
                "tensors/conv1.multiplier_q31.npy", "tensors/conv1.right_shift.npy", "tensors/dw.weight_index.npy",
                "tensors/dw.bias.npy", "tensors/fc.weight.npy", "tensors/fc.bias.npy"), names);
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
                assertEquals(ZipEntry.STORED, e.getMethod());
                assertEquals(java.time.LocalDateTime.of(2000, 1, 1, 0, 0), e.getTimeLocal());
                assertEquals(null, e.getExtra(), "no extra fields (they would carry time-zone-dependent times)");
            }
        }
        String json = new String(ZipBytes.entries(bytes).get("model.json"), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n  \"format\": \"lowbit-integer-model\",\n  \"format_version\": 1,\n"), json);
        assertTrue(json.contains("\"fingerprint\": \"" + SampleModels.everyOp().fingerprint() + "\""));
    }

    @Test
    void readsArchivesRezippedWithCompression() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("tensors/")); // `zip -r` adds directory entries
            zip.closeEntry();
            for (Map.Entry<String, byte[]> e : ZipBytes.entries(sampleBytes()).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey())); // deflated, with data descriptors
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        assertEquals(SampleModels.everyOp(), IntegerModelFile.fromBytes(out.toByteArray(), NAME));
    }

    @Test
    void rejectsOtherFormatsAndVersions() throws Exception {
        rejects(withJson(r -> r.put("format_version", 2)), "entry 'model.json'", "format_version 2 is not supported",
                "understands version 1");
        rejects(withJson(r -> r.put("format", "onnx")), "not a lowbit integer model");
        rejects(withJson(r -> r.remove("format_version")), "format_version is missing");
        rejects("not a zip at all, just some text".getBytes(StandardCharsets.UTF_8), "not a ZIP archive");
    }

    @Test
    void rejectsMissingExtraAndDuplicateEntries() throws Exception {
        Map<String, byte[]> entries = ZipBytes.entries(sampleBytes());
        Map<String, byte[]> missing = new LinkedHashMap<>(entries);
        missing.remove("tensors/dw.bias.npy");
        rejects(ZipBytes.write(missing), "entry 'tensors/dw.bias.npy'", "is missing");
        Map<String, byte[]> noJson = new LinkedHashMap<>(entries);
        noJson.remove("model.json");
        rejects(ZipBytes.write(noJson), "entry 'model.json'", "is missing");
        Map<String, byte[]> extra = new LinkedHashMap<>(entries);
        extra.put("notes.txt", new byte[3]);
        rejects(ZipBytes.write(extra), "entry 'notes.txt'", "not part of the format");
        List<ZipBytes.Item> dup = new ArrayList<>();
        entries.forEach((n, d) -> dup.add(ZipBytes.Item.of(n, d)));
        dup.add(ZipBytes.Item.of("tensors/fc.bias.npy", entries.get("tensors/fc.bias.npy")));
        rejects(ZipBytes.write(dup), "duplicate entry 'tensors/fc.bias.npy'");
        rejects(withJson(r -> ((ArrayNode) r.get("tensors")).add(((ObjectNode) r.get("tensors").get(0)).deepCopy())),
                "listed twice");
    }

    @Test
    void rejectsChecksumDtypeAndShapeMismatches() throws Exception {
        Map<String, byte[]> entries = ZipBytes.entries(sampleBytes());
        byte[] w = entries.get("tensors/fc.weight.npy").clone();
        w[w.length - 1] ^= 4;
        entries.put("tensors/fc.weight.npy", w);
        rejects(ZipBytes.write(entries), "entry 'tensors/fc.weight.npy'", "SHA-256 is", "model.json says");

        // an int32 npy where the table says int8 (checksum updated so that only the dtype is wrong)
        byte[] i4 = Npy.write(Npy.DType.INT32, Shape.of(10, 6), new int[60]);
        Map<String, byte[]> e2 = ZipBytes.entries(sampleBytes());
        e2.put("tensors/fc.weight.npy", i4);
        ObjectNode root = (ObjectNode) JSON.readTree(e2.get("model.json"));
        tensorRow(root, "fc.weight").put("sha256", ModelJson.sha256(i4));
        e2.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(e2), "entry 'tensors/fc.weight.npy'", "npy header says int32 (10×6), model.json says int8");
        tensorRow(root, "fc.weight").put("dtype", "int32");
        e2.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(e2), "tensor 'fc.weight' has dtype int32, expected int8");

        // same byte count, other shape
        byte[] reshaped = Npy.write(Npy.DType.INT8, Shape.of(6, 10), new int[60]);
        Map<String, byte[]> e3 = ZipBytes.entries(sampleBytes());
        e3.put("tensors/fc.weight.npy", reshaped);
        ObjectNode r3 = (ObjectNode) JSON.readTree(e3.get("model.json"));
        tensorRow(r3, "fc.weight").put("sha256", ModelJson.sha256(reshaped));
        e3.put("model.json", JSON.writeValueAsBytes(r3));
        rejects(ZipBytes.write(e3), "npy header says int8 (6×10), model.json says int8 (10×6)");
        ((ArrayNode) tensorRow(r3, "fc.weight").get("shape")).removeAll().add(6).add(10);
        e3.put("model.json", JSON.writeValueAsBytes(r3));
        rejects(ZipBytes.write(e3), "node 'fc'", "bias has shape (10), expected (6)");
    }

    @Test
    void rejectsInvalidGraphsUnknownFieldsAndFingerprintMismatch() throws Exception {
        rejects(withJson(r -> ((ArrayNode) node(r, "pool1").get("inputs")).removeAll().add("gap")),
                "input 'gap' is not an earlier node");
        rejects(withJson(r -> ((ObjectNode) node(r, "pool1").get("params")).put("ceil_mode", true)),
                "ceil_mode", "unknown field");
        rejects(withJson(r -> ((ArrayNode) node(r, "avg").get("output").get("scales")).removeAll().add(0.07)),
                "fingerprint", "does not match");
        rejects(withJson(r -> ((ObjectNode) node(r, "conv1").get("params").get("weights")).put("type", "int3")),
                "node 'conv1'", "outside int3");
        rejects(withJson(r -> ((ArrayNode) node(r, "dw").get("params").get("weights").get("levels")).set(0, 7)),
                "entry 0 must be 0");
        rejects(withJson(r -> ((ObjectNode) node(r, "add").get("params")).put("right_shift", 63)),
                "node 'add'", "outside [0, 62]");
        rejects(withJson(r -> ((ObjectNode) node(r, "add").get("params")).put("right_shift", 1e300)),
                "must be an integer");
        rejects(withJson(r -> r.put("output", "pool1")), "invalid graph", "does not contribute");
        rejects(withJson(r -> ((ObjectNode) r.get("metadata")).put("name", 5)), "metadata.name", "must be a string");
    }

    /** A forged npy header claiming a huge shape, and a model.json that claims one: rejected before allocation. */
    @Test
    void rejectsHugeShapesWithoutAllocating() throws Exception {
        Map<String, byte[]> entries = ZipBytes.entries(sampleBytes());
        byte[] forged = NpyTest.npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1073741824,), }", 42,
                new byte[40]);
        entries.put("tensors/fc.bias.npy", forged);
        ObjectNode root = (ObjectNode) JSON.readTree(entries.get("model.json"));
        tensorRow(root, "fc.bias").put("sha256", ModelJson.sha256(forged));
        entries.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(entries), "entry 'tensors/fc.bias.npy'", "announces 4294967296");

        ((ArrayNode) tensorRow(root, "fc.bias").get("shape")).removeAll().add(1 << 30);
        entries.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(entries), "needs 4294967296 bytes, more than the per-tensor limit");
        ((ArrayNode) tensorRow(root, "fc.bias").get("shape")).removeAll().add(1 << 25);
        entries.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(entries), "declares 159 bytes, but shape (33554432) of int32 needs 134217728");
        ((ArrayNode) tensorRow(root, "fc.bias").get("shape")).removeAll().add(1 << 16).add(1 << 16);
        entries.put("model.json", JSON.writeValueAsBytes(root));
        rejects(ZipBytes.write(entries), "tensors[", "more than 2^30 elements");
    }

    @Test
    void rejectsZipBombs() throws Exception {
        Map<String, byte[]> entries = ZipBytes.entries(sampleBytes());
        byte[] bias = entries.get("tensors/fc.bias.npy");
        // (1) deflated data that inflates far beyond the size the entry declares (and the shape justifies)
        byte[] bomb = new byte[50 << 20];
        System.arraycopy(bias, 0, bomb, 0, bias.length);
        List<ZipBytes.Item> items = new ArrayList<>();
        entries.forEach((n, d) -> items.add(n.equals("tensors/fc.bias.npy")
                ? new ZipBytes.Item(n, bomb, true, bias.length, -1) : ZipBytes.Item.of(n, d)));
        byte[] file = ZipBytes.write(items);
        assertTrue(file.length < 200_000, "bomb file is small: " + file.length);
        rejects(file, "entry 'tensors/fc.bias.npy'", "inflates beyond its declared size");

        // (2) an entry whose declared size is huge: rejected from the shape before anything is inflated
        items.replaceAll(i -> i.name().equals("tensors/fc.bias.npy")
                ? new ZipBytes.Item(i.name(), bomb, true, 0xFFFF_FFF0L, -1) : i);
        rejects(ZipBytes.write(items), "declares 4294967280 bytes, but shape (10) of int32 needs 40");

        // (3) shape and declared size agree on 400 MiB, but 50 KiB of deflate cannot produce that
        Map<String, byte[]> e3 = ZipBytes.entries(sampleBytes());
        ObjectNode root = (ObjectNode) JSON.readTree(e3.get("model.json"));
        ((ArrayNode) tensorRow(root, "fc.bias").get("shape")).removeAll().add(100 << 20);
        e3.put("model.json", JSON.writeValueAsBytes(root));
        long claimed = (400L << 20) + 128;
        List<ZipBytes.Item> items3 = new ArrayList<>();
        e3.forEach((n, d) -> items3.add(n.equals("tensors/fc.bias.npy")
                ? new ZipBytes.Item(n, bomb, true, claimed, -1) : ZipBytes.Item.of(n, d)));
        rejects(ZipBytes.write(items3), "more than deflate can produce");
    }

    @Test
    void rejectsOversizedOrDeeplyNestedJson() throws Exception {
        rejects(sampleBytes(), new ReadLimits(1L << 30, 1000, 32, 1L << 20, 1L << 20, 100), "entry 'model.json'",
                "more than the limit of 1000");
        rejects(withJson(r -> {
            ObjectNode o = (ObjectNode) r.get("metadata");
            for (int i = 0; i < 100; i++) {
                o = o.putObject("deeper");
            }
        }), "is not valid JSON", "nesting depth");
        rejects(sampleBytes(), new ReadLimits(1L << 30, 1 << 20, 32, 100, 1L << 20, 100), "per-tensor limit of 100");
        rejects(sampleBytes(), new ReadLimits(1L << 30, 1 << 20, 32, 1L << 20, 200, 100), "limit of 200 bytes in all");
        rejects(sampleBytes(), new ReadLimits(1L << 30, 1 << 20, 32, 1L << 20, 1L << 20, 5), "9 nodes exceed");
        rejects(sampleBytes(), new ReadLimits(1000, 1 << 20, 32, 1L << 20, 1L << 20, 100), "exceeds the limit");
        Map<String, byte[]> e = ZipBytes.entries(sampleBytes());
        e.put("model.json", "{\"format\": \"lowbit-integer-model\", \"format\": 1}".getBytes(StandardCharsets.UTF_8));
        rejects(ZipBytes.write(e), "Duplicate field 'format'");
    }

    /** Every prefix of a valid file is rejected with a ModelFormatException. */
    @Test
    void rejectsEveryTruncation() {
        byte[] bytes = sampleBytes();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, n);
            try {
                IntegerModelFile.fromBytes(cut, NAME);
                fail("truncation to " + n + " of " + bytes.length + " bytes was accepted");
            } catch (ModelFormatException expected) {
                // every prefix must be rejected
            } catch (RuntimeException | Error e) {
                throw new AssertionError("truncation to " + n + " bytes threw " + e, e);
            }
        }
    }

    /**
     * One flipped bit at every offset: rejected with a ModelFormatException, or — where the bit is in bytes nobody
     * reads (e.g. timestamps, version fields) — read as the very same model. Never a different model, never another
     * exception.
     */
    @Test
    void bitFlipsAreRejectedOrHarmless() throws Exception {
        IntegerModel sample = SampleModels.everyOp();
        for (IntegerModel model : List.of(sample, RandomModels.model(3))) {
            byte[] bytes = IntegerModelFile.toBytes(model);
            int step = model == sample ? 1 : 5; // every offset of the sample, every fifth of a second model
            int harmless = 0;
            List<Integer> harmlessInData = new ArrayList<>();
            boolean[] data = entryData(bytes);
            for (int i = 0; i < bytes.length; i += step) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << (i % 8));
                try {
                    IntegerModel read = IntegerModelFile.fromBytes(flipped, NAME);
                    assertEquals(model, read, "flip at " + i + " gave a different model");
                    harmless++;
                    if (data[i]) {
                        harmlessInData.add(i);
                    }
                } catch (ModelFormatException expected) {
                    // rejected: fine
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("flip at " + i + " threw " + e, e);
                }
            }
            assertTrue(harmless < bytes.length / step / 20, harmless + " harmless flips of " + bytes.length / step);
            assertTrue(harmlessInData.isEmpty(), "flips inside entry data were accepted at " + harmlessInData);
        }
    }

    /** Which bytes are entry contents (as opposed to ZIP headers), walking the local headers of a stored archive. */
    private static boolean[] entryData(byte[] zip) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        boolean[] data = new boolean[zip.length];
        int p = 0;
        while (b.getInt(p) == 0x04034b50) {
            int size = b.getInt(p + 18);
            int start = p + 30 + (b.getShort(p + 26) & 0xFFFF) + (b.getShort(p + 28) & 0xFFFF);
            java.util.Arrays.fill(data, start, start + size, true);
            p = start + size;
        }
        return data;
    }
}
