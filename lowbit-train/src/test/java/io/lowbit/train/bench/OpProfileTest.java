package io.lowbit.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self times from a chrome trace: callees subtracted per thread, summed per operator name. */
class OpProfileTest {

    @TempDir
    Path tmp;

    private Path trace(String json) throws IOException {
        Path p = tmp.resolve("t.json");
        Files.writeString(p, json);
        return p;
    }

    private static String event(String name, int tid, double ts, double dur) {
        return "{\"name\": \"" + name + "\", \"ph\": \"X\", \"ts\": " + ts + ", \"dur\": " + dur + ", \"tid\": " + tid
                + ", \"pid\": \"CPU Functions\", \"shape\": [[128, 3], []], \"args\": {}}";
    }

    @Test
    void calleesAreSubtractedPerThread() throws IOException {
        // thread 1: mul [0, 1000) calls empty [10, 30) and copy_ [40, 140); a second mul [2000, 2500)
        // thread 2 (backward): MulBackward0 [100, 900) calls mul [200, 700), overlapping thread 1 in time
        List<OpProfile> ops = OpProfile.read(trace("[" + String.join(",\n",
                event("aten::mul", 1, 0, 1000), event("aten::empty", 1, 10, 20), event("aten::copy_", 1, 40, 100),
                event("aten::mul", 1, 2000, 500), event("MulBackward0", 2, 100, 800), event("aten::mul", 2, 200, 500),
                "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"args\": {\"name\": \"x\"}}") + "]"));
        assertEquals("aten::mul", ops.get(0).op());
        assertEquals(3, ops.get(0).calls());
        assertEquals((880 + 500 + 500) / 1000.0, ops.get(0).selfMillis(), 1e-9);
        OpProfile backward = ops.stream().filter(o -> o.op().equals("MulBackward0")).findFirst().orElseThrow();
        assertEquals(0.3, backward.selfMillis(), 1e-9);
        assertEquals(4, ops.size());
        double total = ops.stream().mapToDouble(OpProfile::selfMillis).sum();
        assertEquals((1000 + 500 + 800) / 1000.0, total, 1e-9, "self times add up to the outermost events");
    }

    @Test
    void notATraceIsRefusedWithTheFile() throws IOException {
        var e = assertThrows(IOException.class, () -> OpProfile.read(trace("{\"traceEvents\": []}")));
        assertTrue(e.getMessage().endsWith("not a chrome trace (a JSON array of events)"), e.getMessage());
        assertThrows(IOException.class, () -> OpProfile.read(trace("[" + event("aten::mul", 1, 0, 10))));
    }
}
