package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.RcaMapping;
import io.lowbit.rtl.InstructionFormat;
import io.lowbit.rtl.RtlParameters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-layer pass loop of {@code lowbit_pass_loop} ({@code docs/rtl.md} §2, "Pass loop"): a conv layer's program is
 * its first pass's {@code conv_pass} instruction and the loop constants in CSR words {@value #FIRST_CSR} ..
 * {@code FIRST_CSR + CSRS - 1} of its descriptor; the controller generates pass {@code k+1} from pass {@code k} with
 * counters over the compiler's nest (weight tile × row tile × output group × input group × kernel chunk). This class
 * derives the constants from the compiler's pass list, models the generator bit for bit ({@link #expand}), and
 * {@link #verify verifies} that the generated passes are exactly the compiler's: a pass list the loop cannot express
 * is rejected, naming the layer and the first differing pass, never run as something else.
 */
public final class PassLoop {

    /** First CSR word of the loop constants. */
    public static final int FIRST_CSR = 18;
    /** CSR words of the loop constants. */
    public static final int CSRS = 14;

    private final RtlParameters p;
    private final InstructionFormat format;
    private final String layer;
    private final int kW;
    private final int chunks;
    private final int tLast;
    private final int wblkLast;
    private final int inCountLast;
    private final int d0Row;
    private final int d0Col;
    private final int dStepRow;
    private final int dStepCol;
    private final int inGroups;
    private final int outGroups;
    private final int groupsPerTile;
    private final int groupsLastTile;
    private final int rowTiles;
    private final int tiles;
    private final int outCountFull;
    private final int outCountLast;
    private final int ppoGroups;
    private final int ppoRest;
    private final boolean release;
    private final long plane;
    private final int rowsFull;
    private final int rowsLast;
    private final int rFull;
    private final int rLast;
    private final int rowStep;
    private final int rowFirst;
    private final long addrStep;
    private final long addrFirst;
    private final long pixStep;
    private final boolean stagedIn;
    private final boolean stagedOut;
    private final long halfWords;

    /**
     * The loop of {@code plan}'s passes: their tiles ({@code tiles}, per pass, the compiler's {@code load_weights}
     * order; {@code null}: one host-preloaded tile), row tiles of the first pass's rows, the mapping's chunks, the
     * layer's input and output groups; {@code staging}: maps in DRAM, whose row tiles alternate between the halves
     * of their buffers ({@code null}: on chip).
     */
    public PassLoop(RtlParameters p, LayerPlan plan, List<Instruction.ConvPass> passes, List<Integer> tiles,
            DramStaging staging) {
        this.p = p;
        this.format = new InstructionFormat(p);
        this.layer = plan.layer();
        RcaMapping m = plan.mapping();
        var win = plan.window();
        kW = m.kernelW();
        chunks = m.chunks();
        tLast = m.chunkTaps(chunks - 1);
        wblkLast = m.slots() * tLast;
        int d0 = m.taps() - m.chunkTaps(0);
        d0Row = d0 / kW;
        d0Col = d0 % kW;
        dStepRow = p.pes() / kW;
        dStepCol = p.pes() % kW;
        int inC = plan.input().channels();
        inGroups = ceilDiv(inC, p.pi());
        inCountLast = inC - (inGroups - 1) * p.pi();
        outCountFull = p.po() * m.slots();
        int outC = plan.output().channels();
        outGroups = ceilDiv(outC, outCountFull);
        outCountLast = outC - (outGroups - 1) * outCountFull;
        ppoGroups = outCountFull / p.pi();
        ppoRest = outCountFull % p.pi();
        int tileRows = passes.get(0).rows();
        int outH = plan.output().height();
        rowTiles = ceilDiv(outH, tileRows);
        rowsFull = tileRows;
        rowsLast = outH - (rowTiles - 1) * tileRows;
        rFull = (rowsFull - 1) * win.strideH() + m.kernelH();
        rLast = (rowsLast - 1) * win.strideH() + m.kernelH();
        if (tiles == null) {
            this.tiles = 1;
            groupsPerTile = outGroups;
            groupsLastTile = outGroups;
            release = false;
        } else {
            int firstTile = tiles.get(0);
            int lastTile = tiles.get(tiles.size() - 1);
            this.tiles = lastTile - firstTile + 1;
            Set<Integer> first = new LinkedHashSet<>();
            Set<Integer> last = new LinkedHashSet<>();
            for (int n = 0; n < passes.size(); n++) {
                if (tiles.get(n) == firstTile) {
                    first.add(passes.get(n).outStart());
                }
                if (tiles.get(n) == lastTile) {
                    last.add(passes.get(n).outStart());
                }
            }
            groupsPerTile = first.size();
            groupsLastTile = last.size();
            release = true;
        }
        // a staged input's plane holds a row tile's rows (DramStaging), a map on chip its H·W pixels
        plane = staging != null && staging.input() ? staging.inPlane()
                : (long) plan.input().height() * plan.input().width();
        rowStep = tileRows * win.strideH();
        rowFirst = -win.padTop();
        addrStep = (long) rowStep * plan.input().width();
        addrFirst = (long) rowFirst * plan.input().width();
        pixStep = (long) tileRows * plan.output().width();
        stagedIn = staging != null && staging.input();
        stagedOut = staging != null && staging.output();
        halfWords = staging == null ? 0 : staging.halfWords();
        if (p.fmBankAddressBits() > 16) { // the row tile shares w4 with the address (lowbit_pass_loop)
            throw new IllegalArgumentException(layer + ": " + p.fmBankAddressBits() + " in-bank address bits; the"
                    + " pass loop keeps the row tile in w4[31:16] and needs at most 16");
        }
        fits("chunks", chunks, 8);
        fits("taps of the last chunk", tLast, 8);
        fits("weight words of the last chunk", wblkLast, 8);
        fits("in_count of the last input group", inCountLast, 8);
        fits("input groups", inGroups, 16);
        fits("output groups", outGroups, 16);
        fits("output groups per tile", Math.max(groupsPerTile, groupsLastTile), 16);
        fits("row tiles", rowTiles, 16);
        fits("weight tiles", this.tiles, 16);
        fits("output channels per pass", outCountFull, 16);
        fits("rows", rowsFull, 16);
        fits("R", rFull, 16);
        fits("in_row0 step", rowStep, 16);
        fits("-padTop", Math.abs(rowFirst), 15);
        fits("PO·slots / PI", ppoGroups, 16);
    }

    private void fits(String what, long value, int bits) {
        if (value < 0 || value >= 1L << bits) {
            throw new IllegalArgumentException(layer + ": the pass loop's " + what + " = " + value + " does not fit"
                    + " its " + bits + "-bit CSR field (docs/rtl.md §2)");
        }
    }

    /**
     * The loop's CSR words ({@code lowbit_pass_loop}), for descriptor words {@value #FIRST_CSR} on; the nest's counts
     * as their last index ({@code N − 1}).
     */
    public long[] csrs() {
        long mask = 0xFFFFFFFFL;
        return new long[] {
            (chunks - 1) | (tLast << 8) | (wblkLast << 16) | ((long) inCountLast << 24),
            d0Row | (d0Col << 8) | (dStepRow << 16) | ((long) dStepCol << 24),
            (inGroups - 1) | ((long) (outGroups - 1) << 16),
            (groupsPerTile - 1) | ((long) (groupsLastTile - 1) << 16),
            (rowTiles - 1) | ((long) (tiles - 1) << 16),
            outCountFull | ((long) outCountLast << 16),
            ppoGroups | (ppoRest << 16) | (release ? 1L << 24 : 0) | (stagedIn ? 1L << 25 : 0)
                | (stagedOut ? 1L << 26 : 0),
            plane & mask,
            rowsFull | ((long) rowsLast << 16),
            rFull | ((long) rLast << 16),
            rowStep | ((rowFirst & 0xFFFFL) << 16),
            (stagedIn ? halfWords : addrStep) & mask,
            addrFirst & mask,
            (stagedOut ? halfWords : pixStep) & mask};
    }

    /**
     * The {@code n} passes the hardware runs: {@code first} (the layer's {@code conv_pass} instruction, as the
     * decoders see it, {@link InstructionFormat#unpack}) and the {@code n − 1} that {@code lowbit_pass_loop}
     * generates from it, each as {@code w0 … w7}.
     */
    public List<long[]> expand(long[] first, int n) {
        int baw = p.fmBankAddressBits();
        long amask = (1L << baw) - 1;
        int nb = p.fmBanks();
        int pi = p.pi();
        List<long[]> out = new ArrayList<>();
        long[] cur = first.clone();
        out.add(cur);
        int c = 0;
        int ig = 0;
        int og = 0;
        int gog = 0;
        int rt = 0;
        int tl = 0;
        long tg0 = 0;
        long tr0 = 0;
        long pl = 0;
        for (int k = 1; k < n; k++) {
            long[] w = cur;
            int gcur = tl == tiles - 1 ? groupsLastTile : groupsPerTile;
            boolean lastC = c == chunks - 1;
            boolean lastIg = ig == inGroups - 1;
            boolean lastOg = og == gcur - 1;
            boolean lastRt = rt == rowTiles - 1;
            boolean incC = !lastC;
            boolean incIg = lastC && !lastIg;
            boolean incOg = lastC && lastIg && !lastOg;
            boolean incRt = lastC && lastIg && lastOg && !lastRt;
            boolean incTl = lastC && lastIg && lastOg && lastRt;
            boolean sameOg = incC || incIg;
            int cN = incC ? c + 1 : 0;
            int igN = incC ? ig : incIg ? ig + 1 : 0;
            int ogN = sameOg ? og : incOg ? og + 1 : 0;
            int gogN = sameOg ? gog : (incOg || incTl) ? gog + 1 : gog - og;
            int rtN = (sameOg || incOg) ? rt : incRt ? rt + 1 : 0;
            int tlN = incTl ? tl + 1 : tl;
            int gcurN = tlN == tiles - 1 ? groupsLastTile : groupsPerTile;
            boolean cLastN = cN == chunks - 1;
            boolean igLastN = igN == inGroups - 1;
            boolean rtLastN = rtN == rowTiles - 1;
            int bankN = igN & (nb - 1);
            long plN = incC ? pl : incIg ? (bankN == 0 ? (pl + plane) & amask : pl) : 0;
            long rowpart = ((w[4] & amask) - pl) & amask;
            boolean newJob = incRt || incTl;
            long job = (w[4] >>> 16) & 0xFFFF;
            long jobN = newJob ? (job + 1) & 0xFFFF : job;
            long rowpartN = stagedIn ? (newJob ? (halfWords - rowpart) & amask : rowpart)
                    : incRt ? (rowpart + addrStep) & amask : incTl ? addrFirst & amask : rowpart;
            long iaN = (plN + rowpartN) & amask;
            long r0 = (w[3] >>> 24) & 0xFF;
            long g0 = (w[6] >>> 16) & 0xFFFF;
            long rSum = r0 + ppoRest;
            boolean rCy = rSum >= pi;
            long rAdd = rCy ? rSum - pi : rSum;
            long gAdd = (g0 + ppoGroups + (rCy ? 1 : 0)) & 0xFFFF;
            long g0N = sameOg ? g0 : incRt ? tg0 : gAdd;
            long r0N = sameOg ? r0 : incRt ? tr0 : rAdd;
            long dr = (w[1] >>> 16) & 0xFF;
            long dc = (w[1] >>> 24) & 0xFF;
            boolean borrow = dc < dStepCol;
            long dcStep = (borrow ? dc + kW - dStepCol : dc - dStepCol) & 0xFF;
            long drStep = (dr - dStepRow - (borrow ? 1 : 0)) & 0xFF;
            long drN = cLastN ? 0 : incC ? drStep : d0Row;
            long dcN = cLastN ? 0 : incC ? dcStep : d0Col;
            long wb = w[2] & 0xFFFF;
            long need = (w[2] >>> 16) & 0xFFFF;
            long bank = (w[0] >>> 4) & 1;
            long slots = (w[0] >>> 16) & 0xFF;
            long blk = lastC ? wblkLast : p.pes();
            long wbN = (sameOg || incOg) ? (wb + blk) & 0xFFFF : 0;
            long needN = (incTl && bank == 1) ? (need + 1) & 0xFFFF : need;
            long bb = w[3] & 0xFFFFFF;
            long bbN = incOg ? (bb + slots) & 0xFFFFFF : sameOg ? bb : 0;
            long pix = w[5] & amask;
            long pixN = stagedOut ? (newJob ? (halfWords - pix) & amask : pix)
                    : incRt ? (pix + pixStep) & amask : incTl ? 0 : pix;
            long row0 = w[6] & 0xFFFF;
            long row0N = incRt ? (row0 + rowStep) & 0xFFFF : incTl ? rowFirst & 0xFFFF : row0;
            boolean firstN = cN == 0 && igN == 0;
            boolean lastN = cLastN && igLastN;
            long bankWN = incTl ? bank ^ 1 : bank;
            boolean relN = release && lastN && ogN == gcurN - 1 && rtLastN;
            long tN = cLastN ? tLast : p.pes();
            long icN = igLastN ? inCountLast : pi;
            long ocN = gogN == outGroups - 1 ? outCountLast : outCountFull;
            long[] nx = new long[InstructionFormat.WORDS];
            nx[0] = (firstN ? 1 : 0) | (lastN ? 2 : 0) | (w[0] & 0xC) | (bankWN << 4) | (relN ? 1 << 5 : 0)
                    | (tN << 8) | (slots << 16) | (icN << 24);
            nx[1] = ocN | (drN << 16) | (dcN << 24);
            nx[2] = wbN | (needN << 16);
            nx[3] = bbN | (r0N << 24);
            nx[4] = iaN | (jobN << 16);
            nx[5] = pixN | ((long) bankN << 24);
            nx[6] = row0N | (g0N << 16);
            nx[7] = rtLastN ? rowsLast | ((long) rLast << 16) : rowsFull | ((long) rFull << 16);
            if (incTl) {
                tg0 = gAdd;
                tr0 = rAdd;
            }
            c = cN;
            ig = igN;
            og = ogN;
            gog = gogN;
            rt = rtN;
            tl = tlN;
            pl = plN;
            out.add(nx);
            cur = nx;
        }
        return out;
    }

    /**
     * Throws unless the passes the loop generates from the first of {@code words} are {@code words} (the compiler's
     * passes as instructions, {@code w0 … w7}), naming the layer, the first differing pass (the compiler's fields)
     * and field.
     */
    public void verify(List<long[]> words, List<Instruction.ConvPass> passes, List<Integer> passTiles) {
        List<long[]> expected = new ArrayList<>();
        for (int k = 0; k < words.size(); k++) {
            long[] e = format.unpack(format.pack(words.get(k), layer + " pass " + k));
            e[4] |= words.get(k)[4] & 0xFFFF0000L; // the row tile: generated by the loop, not stored
            expected.add(e);
        }
        List<long[]> generated = expand(expected.get(0), expected.size());
        for (int k = 1; k < expected.size(); k++) {
            long[] e = expected.get(k);
            long[] g = generated.get(k);
            if (java.util.Arrays.equals(e, g)) {
                continue;
            }
            String field = "row tile (w4[31:16])";
            long ev = 0;
            long gv = 0;
            for (InstructionFormat.Field f : format.fields()) {
                long mask = (1L << f.width()) - 1;
                ev = (e[f.word()] >>> f.lsb()) & mask;
                gv = (g[f.word()] >>> f.lsb()) & mask;
                if (ev != gv) {
                    field = f.name();
                    break;
                }
            }
            Instruction.ConvPass cp = passes.get(k);
            throw new IllegalArgumentException(layer + ": pass " + k + " of " + expected.size() + " (outStart "
                    + cp.outStart() + ", outCount " + cp.outCount() + ", inStart " + cp.inStart() + ", inCount "
                    + cp.inCount() + ", chunk " + cp.chunk() + ", rowStart " + cp.rowStart() + ", rows " + cp.rows()
                    + (cp.first() ? ", first" : "") + (cp.last() ? ", last" : "")
                    + (passTiles == null ? "" : ", weight tile " + passTiles.get(k)) + ") is not the pass the"
                    + " layer's pass loop generates (" + loopSummary() + "): " + field + " is " + ev
                    + ", the loop gives " + gv + " (docs/rtl.md §2, \"Pass loop\")");
        }
    }

    private String loopSummary() {
        return tiles + " weight tile" + (tiles == 1 ? "" : "s") + " of " + groupsPerTile + " output groups (last "
                + groupsLastTile + ") × " + rowTiles + " row tiles × " + inGroups + " input groups × " + chunks
                + " chunk" + (chunks == 1 ? "" : "s");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
