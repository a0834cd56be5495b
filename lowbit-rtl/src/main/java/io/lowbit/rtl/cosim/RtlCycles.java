package io.lowbit.rtl.cosim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The controller's cycle counters after a layer run ({@code cycles.txt} of {@code tb_top}).
 *
 * @param done      the controller signalled done before the testbench's cycle limit
 * @param cycles    from the first cycle after start to the last output write, inclusive
 * @param stream    cycles a pixel was issued (S0)
 * @param stall     cycles before the drain with no pixel issued (waiting for a preload), other than {@code weightWait}
 * @param lastWrite cycle of the last output-map write (counted like {@code cycles}, from 0)
 * @param weightWait cycles with no pass streaming because the next pass waits for the DMA: its preload for its
 *                  weight bank (load_weights), or the pass for its input rows (load_rows) or for the half of the
 *                  output buffer it writes (store_rows); 0 without DMA
 * @param storeWait cycles after the drain waiting for a staged output's last {@code store_rows} (the layer ends
 *                  when its last store does); 0 when the output is on chip
 */
public record RtlCycles(boolean done, long cycles, long stream, long stall, long lastWrite, long weightWait,
        long storeWait) {

    public RtlCycles(boolean done, long cycles, long stream, long stall, long lastWrite) {
        this(done, cycles, stream, stall, lastWrite, 0, 0);
    }

    /** Cycles after the last pixel up to the last output write: {@code cycles − stream − stall − weightWait − storeWait}. */
    public long drain() {
        return cycles - stream - stall - weightWait - storeWait;
    }

    /** The unit's cycles without the DMA waits: what the layer takes alone with its weights and maps on chip. */
    public long cyclesWithoutWait() {
        return cycles - weightWait - storeWait;
    }

    /**
     * The counters of every conv layer and pool of a program run, in order ({@code tb_top}'s
     * {@code layer k cycles c stream s stall t last_write w wait v store_wait u} lines).
     */
    public static List<RtlCycles> readLayers(Path file) {
        try {
            List<RtlCycles> layers = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 10 && f[0].equals("layer")) {
                    layers.add(new RtlCycles(true, Long.parseLong(f[3]), Long.parseLong(f[5]), Long.parseLong(f[7]),
                            Long.parseLong(f[9]), f.length >= 12 ? Long.parseLong(f[11]) : 0,
                            f.length >= 14 ? Long.parseLong(f[13]) : 0));
                }
            }
            return layers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One DMA transfer: it occupied the engine in program cycles {@code [start, end)}. */
    public record Transfer(long start, long end) {

        public long cycles() {
            return end - start;
        }
    }

    /** The DMA transfers of a program run, in order ({@code tb_top}'s {@code dma k start s end e} lines). */
    public static List<Transfer> readTransfers(Path file) {
        try {
            List<Transfer> transfers = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 6 && f[0].equals("dma")) {
                    transfers.add(new Transfer(Long.parseLong(f[3]), Long.parseLong(f[5])));
                }
            }
            return transfers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole program's cycles ({@code total}), or -1 when absent. */
    public static long readTotal(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals("total")) {
                    return Long.parseLong(kv[1]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
