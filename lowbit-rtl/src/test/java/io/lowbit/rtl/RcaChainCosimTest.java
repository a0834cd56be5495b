package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowbit.accel.compile.RcaMapping;
import io.lowbit.rtl.sim.Verilator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One RCA ({@code lowbit_rca}, its products from {@code lowbit_level_products}, its chain {@code lowbit_chain})
 * with random codebook levels (including both int8 extremes) and random indexes, streaming random kW-wide strips,
 * back to back without a flush, against a direct 2-D convolution of each strip: every kernel slot's segment end holds the window sum on the cycle right after the
 * window's last pixel (shifted earlier by the taps after the chunk, for a chunk of a large kernel), so a kernel
 * yields one output every {@code sH·kW} cycles.
 */
class RcaChainCosimTest {

    private static final int STRIPS = 3;

    /** Cycles (stream index of the output's last pixel) and values of every valid output, per slot. */
    private record Outputs(List<Integer> cycles, List<long[]> values) {
    }

    @ParameterizedTest(name = "{0}x{1} stride {2} rows {3}")
    @CsvSource({"1, 1, 1, 6", "3, 3, 1, 5", "3, 3, 2, 4", "5, 5, 1, 4", "1, 3, 1, 4", "2, 2, 1, 3"})
    void windowsMatchDirectConvolution(int kH, int kW, int sH, int rows, @TempDir Path work) throws IOException {
        RcaMapping m = RcaMapping.of(kH, kW, RtlTools.preset().pes());
        Case c = new Case(kH, kW, sH, rows, m, 0, new SplittableRandom(31L * kH + kW + sH));
        Outputs o = c.run(work);
        int expectedPerSlot = STRIPS * rows;
        assertEquals(expectedPerSlot, o.cycles().size());
        for (int q = 0; q < STRIPS; q++) {
            for (int oy = 1; oy < rows; oy++) {
                int k = q * rows + oy;
                assertEquals(sH * kW, o.cycles().get(k) - o.cycles().get(k - 1), "cycles between outputs " + k);
            }
        }
    }

    @Test
    void sevenBySevenChunksAddUpToTheWindow(@TempDir Path work) throws IOException {
        RcaMapping m = RcaMapping.of(7, 7, RtlTools.preset().pes());
        assertEquals(2, m.chunks());
        long[][] sums = null;
        for (int chunk = 0; chunk < 2; chunk++) {
            // same seed: the same kernel and strips for both chunks
            Case c = new Case(7, 7, 1, 3, m, chunk, new SplittableRandom(77));
            Outputs o = c.run(work.resolve("chunk" + chunk));
            if (sums == null) {
                sums = new long[o.values().size()][];
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = new long[1];
                }
            }
            for (int i = 0; i < sums.length; i++) {
                sums[i][0] += o.values().get(i)[0];
            }
            if (chunk == 0) {
                // chunk 0 ends 24 taps before the window: its output appears 24 cycles earlier
                assertEquals(7 * 7 - 1 - 24, o.cycles().get(0));
            }
        }
        Case full = new Case(7, 7, 1, 3, m, 0, new SplittableRandom(77));
        for (int i = 0; i < sums.length; i++) {
            assertEquals(full.direct(i / 3, i % 3, 0, 0, 49), sums[i][0], "7×7 window " + i);
        }
    }

    /** One RCA run: random kernels for every slot and random strips; checks every valid output. */
    private static final class Case {
        final int kH, kW, sH, rows, r, taps, t0, slots, d;
        final long[] levels;  // [codebook entry]
        final int[][] idx;    // [slot][tap]
        final long[][] w;     // [slot][tap]: levels[idx]
        final long[][][] px;  // [strip][row][col]

        Case(int kH, int kW, int sH, int rows, RcaMapping m, int chunk, SplittableRandom rng) {
            this.kH = kH;
            this.kW = kW;
            this.sH = sH;
            this.rows = rows;
            this.r = (rows - 1) * sH + kH;
            this.taps = m.chunkTaps(chunk);
            this.t0 = m.chunkStart(chunk);
            this.slots = m.slots();
            this.d = kH * kW - t0 - taps;
            int entries = RtlTools.preset().codebookEntries();
            levels = new long[entries];
            for (int e = 0; e < entries; e++) {
                levels[e] = e == 0 ? -128 : e == 1 ? 127 : rng.nextInt(-128, 128);
            }
            idx = new int[slots][kH * kW];
            w = new long[slots][kH * kW];
            for (int s = 0; s < slots; s++) {
                for (int t = 0; t < kH * kW; t++) {
                    idx[s][t] = rng.nextInt(entries);
                    w[s][t] = levels[idx[s][t]];
                }
            }
            px = new long[STRIPS][r][kW];
            for (long[][] strip : px) {
                for (long[] row : strip) {
                    for (int j = 0; j < kW; j++) {
                        row[j] = rng.nextInt(-255, 256);
                    }
                }
            }
        }

        /** Direct convolution of strip q at output row oy, slot s, taps [from, to). */
        long direct(int q, int oy, int s, int from, int to) {
            long sum = 0;
            for (int t = from; t < to; t++) {
                sum += w[s][t] * px[q][oy * sH + t / kW][t % kW];
            }
            return sum;
        }

        Outputs run(Path work) throws IOException {
            Files.createDirectories(work);
            int pes = RtlTools.preset().pes();
            int k = slots * taps;
            StringBuilder in = new StringBuilder();
            int n = STRIPS * r * kW;
            in.append(taps).append(' ').append(k).append(' ').append(n).append('\n');
            for (long level : levels) {
                in.append(level).append('\n');
            }
            for (int word = 0; word < k; word++) {
                int pe = k - 1 - word; // a shift chain: the first word ends at the far PE
                in.append(idx[pe / taps][t0 + pe % taps]).append('\n');
            }
            for (long[][] strip : px) {
                for (long[] row : strip) {
                    for (long v : row) {
                        in.append(v).append('\n');
                    }
                }
            }
            Files.writeString(work.resolve("rca.in"), in);
            Path exe = RtlTools.verilator().build(RtlTools.generate(RtlTools.preset(), "preset"), "tb_rca");
            Verilator.run(exe, work, List.of(), 120);
            List<String> lines = Files.readAllLines(work.resolve("rca.out"));
            assertEquals(n, lines.size(), "one line per streamed pixel");
            List<Integer> cycles = new ArrayList<>();
            List<long[]> values = new ArrayList<>();
            for (int q = 0; q < STRIPS; q++) {
                for (int oy = 0; oy < rows; oy++) {
                    int end = (oy * sH + kH - 1) * kW + kW - 1; // the window's last pixel in the strip
                    int cycle = q * r * kW + end - d;
                    String[] chain = lines.get(cycle).trim().split("\\s+");
                    assertEquals(pes, chain.length);
                    long[] v = new long[slots];
                    for (int s = 0; s < slots; s++) {
                        v[s] = Long.parseLong(chain[(s + 1) * taps - 1]);
                        assertEquals(direct(q, oy, s, t0, t0 + taps), v[s], "strip " + q + ", output row " + oy
                                + ", slot " + s + " at cycle " + cycle);
                    }
                    cycles.add(cycle);
                    values.add(v);
                }
            }
            return new Outputs(cycles, values);
        }
    }
}
