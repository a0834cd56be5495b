package io.lowbit.rtl.cosim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The controller's cycle counters after a layer run ({@code cycles.txt} of {@code tb_top}).
 *
 * @param done      the controller signalled done before the testbench's cycle limit
 * @param cycles    from the first cycle after start to the last output write, inclusive
 * @param stream    cycles a pixel was issued (S0)
 * @param stall     cycles before the drain with no pixel issued (waiting for a preload)
 * @param lastWrite cycle of the last output-map write (counted like {@code cycles}, from 0)
 */
public record RtlCycles(boolean done, long cycles, long stream, long stall, long lastWrite) {

    /** Cycles after the last pixel: {@code cycles − stream − stall}. */
    public long drain() {
        return cycles - stream - stall;
    }

    public static RtlCycles read(Path file) {
        try {
            Map<String, Long> v = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2) {
                    v.put(kv[0], Long.parseLong(kv[1]));
                }
            }
            return new RtlCycles(v.getOrDefault("done", 0L) == 1, v.get("cycles"), v.get("stream"), v.get("stall"),
                    v.get("last_write"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
