package io.lowbit.core.engine;

import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import java.util.Arrays;

/**
 * Convolution (§4, grouped and depthwise included) as a register-blocked matrix product: {@code acc[o, q] =
 * Σ_k w[o, k]·X[k, q]} with {@code k} = (input channel of the group, tap), computed in tiles of
 * {@link FloatTile#ROWS} output channels × {@link FloatTile#WIDTH} positions whose sums stay in vector registers for
 * a whole chunk of {@code k} ({@link FloatTile}, Java Vector API, FMAs in {@code float}).
 *
 * <p>{@code X} is never built as a matrix for stride-1 layers (<em>direct</em> layout): each input channel is centred
 * ({@code x − Z_in[c]}, padding 0, §2) onto a zero-padded grid of {@code Wp} columns, output position {@code (y, x)}
 * is grid position {@code q = y·Wp + x}, and row {@code (c, t)} of {@code X} is channel {@code c}'s grid shifted by
 * tap {@code t}'s offset — one array, one offset per {@code k}. The grid's {@code Wp − outW} extra columns are
 * computed and dropped. Strided layers, and small maps where those columns would cost more than copying, use the
 * <em>patches</em> layout: {@code X} as an explicit im2col matrix of {@code outH·outW} positions.
 *
 * <p>Exactness: the sum over {@code k} is split into chunks ({@link ExactChunks}); a float chunk provably keeps every
 * product and partial sum an integer within {@code ±2^22}, so its float sum is exact, and is converted to {@code int}
 * exactly ({@link FloatTile#drain}); other chunks are summed in {@code int} ({@link IntTile}); chunk sums are added in
 * {@code int}, exact by §5 (see {@link ExactChunks} for the argument, docs/integer-semantics.md §4). Inputs outside
 * their type — which the bound assumes — are rejected.
 *
 * <p>Order of work: per thread a range of blocks (of {@link FloatTile#ROWS} output channels); for each group of tiles
 * of positions ({@link #tileGroup}: as many as keep their sums in L2), chunk by chunk, tile by tile, every block of
 * the range — a tile's chunk of inputs is loaded into L1 once and reused by all the blocks, a chunk's weights (stored
 * chunk-major, one sequential stream) once per group; then the group's sums go through the output stage. Nothing the
 * size of the layer is written besides the input copy and the output.
 */
final class TiledConv2d implements CompiledOp {

    /**
     * Longest chunk: a tile's inputs for one chunk ({@code 128 × 32} floats with AVX-512, 24 KiB counting the lines
     * unaligned loads touch) stay in L1 (48 KiB on this machine's Zen 5) next to the weights.
     */
    static final int CHUNK = 128;

    /** Sums of a tile group ({@link #tileGroup}) at most: 128 KiB, an eighth of this machine's L2. */
    static final int GROUP_BYTES = 128 << 10;

    private static final int ROWS = FloatTile.ROWS;
    private static final int WIDTH = FloatTile.WIDTH;

    private final int inC;
    private final int inH;
    private final int inW;
    private final int outC;
    private final int outH;
    private final int outW;
    private final Window window;
    private final int taps;
    private final int perGroup;
    private final boolean direct;
    /** Grid width: {@code Wp} (direct) or {@code outW} (patches, where positions are dense). */
    private final int gridWidth;
    /** Computed positions per output channel, a multiple of {@link FloatTile#WIDTH}. */
    private final int positions;
    /** Ints per input channel (direct) or per {@code X} row (patches). */
    private final int rowLength;
    /** {@code offset[g][k]}: where row {@code k} of group {@code g}'s {@code X} starts in the input layout. */
    private final int[][] offset;
    private final int blocks;
    private final int[] blockGroup;
    private final int[] blockFirst;
    private final int[] blockCount;
    /**
     * The weights, chunk by chunk, each chunk block by block as {@code [k][ROWS]} ({@link #weightAt}); rows past
     * {@code blockCount[b]} hold 0.
     */
    private final float[] floatWeights;
    private final int[] intWeights;
    private final ExactChunks chunks;
    private final int[] zeroPoint;
    private final Segments segments;
    private final int[] pieceStart;
    private final int[] pieceOffset;
    private final int[] pieceLength;
    private final int[] pieceOutput;
    private final int typeMin;
    private final int typeMax;
    private final int[] bias;
    private final FastOutputStage stage;
    private final int groupBytes;

    /** The layout that suits the layer. */
    TiledConv2d(Conv2d op, TensorInfo in, TensorInfo out) {
        this(op, in, out, prefersDirect(op, in, out), CHUNK, GROUP_BYTES);
    }

    /** The given layout, longest chunk and tile-group budget; every choice gives the same outputs. */
    TiledConv2d(Conv2d op, TensorInfo in, TensorInfo out, boolean direct, int maxChunk, int groupBytes) {
        this.groupBytes = groupBytes;
        window = op.window();
        if (direct && (window.strideH() != 1 || window.strideW() != 1)) {
            throw new IllegalArgumentException("the direct layout needs stride 1, got " + window);
        }
        inC = in.shape().channels();
        inH = in.shape().height();
        inW = in.shape().width();
        outC = out.shape().channels();
        outH = out.shape().height();
        outW = out.shape().width();
        taps = window.kernelArea();
        perGroup = op.groupInChannels();
        int groups = op.groups();
        int outPerGroup = outC / groups;
        int k = perGroup * taps;
        this.direct = direct;
        zeroPoint = new int[inC];
        for (int c = 0; c < inC; c++) {
            zeroPoint[c] = in.zeroPoint(c);
        }
        typeMin = in.type().min();
        typeMax = in.type().max();

        int[] tapOffset = new int[taps];
        if (direct) {
            gridWidth = window.padLeft() + inW + window.padRight();
            positions = roundUp((outH - 1) * gridWidth + outW);
            for (int t = 0; t < taps; t++) {
                tapOffset[t] = t / window.kernelW() * gridWidth + t % window.kernelW();
            }
            // every grid row an output reads, and every position a tile reads (zeros past the grid)
            rowLength = oddLines(Math.max((outH - 1 + window.kernelH()) * gridWidth, positions + tapOffset[taps - 1]));
        } else {
            gridWidth = outW;
            positions = roundUp(outH * outW);
            rowLength = oddLines(positions);
        }
        offset = new int[groups][k];
        for (int g = 0; g < groups; g++) {
            for (int ci = 0; ci < perGroup; ci++) {
                int c = g * perGroup + ci;
                for (int t = 0; t < taps; t++) {
                    offset[g][ci * taps + t] = direct ? c * rowLength + tapOffset[t] : (c * taps + t) * rowLength;
                }
            }
        }

        int blocksPerGroup = (outPerGroup + ROWS - 1) / ROWS;
        blocks = groups * blocksPerGroup;
        blockGroup = new int[blocks];
        blockFirst = new int[blocks];
        blockCount = new int[blocks];
        int[] codes = op.weights().decode().toArray(); // (outC, inC/G, kH, kW) = (outC, K)
        for (int b = 0; b < blocks; b++) {
            int g = b / blocksPerGroup;
            blockGroup[b] = g;
            blockFirst[b] = g * outPerGroup + b % blocksPerGroup * ROWS;
            blockCount[b] = Math.min(ROWS, (g + 1) * outPerGroup - blockFirst[b]);
        }
        long[][] maxAbsInput = new long[groups][k];
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < k; j++) {
                maxAbsInput[g][j] = in.quantizedType(g * perGroup + j / taps).maxAbsCentred();
            }
        }
        chunks = ExactChunks.plan(codes, maxAbsInput, outPerGroup, maxChunk);
        // chunk-major, then block, then k, then row: a chunk's weights for all blocks are one sequential stream
        int[] packed = new int[blocks * k * ROWS];
        for (int c = 0; c < chunks.count(); c++) {
            int k0 = chunks.start[c];
            int k1 = chunks.start[c + 1];
            for (int b = 0; b < blocks; b++) {
                int at = weightAt(k0, k1, b);
                for (int i = 0; i < blockCount[b]; i++) {
                    for (int j = k0; j < k1; j++) {
                        packed[at + j * ROWS + i] = codes[(blockFirst[b] + i) * k + j];
                    }
                }
            }
        }
        if (chunks.anyFloat()) {
            floatWeights = new float[packed.length];
            for (int i = 0; i < packed.length; i++) {
                floatWeights[i] = packed[i]; // codes have at most 16 bits: exact
            }
        } else {
            floatWeights = null;
        }
        intWeights = chunks.anyInt() ? packed : null;
        segments = direct ? gridSegments() : patchSegments();
        int[][] pieces = planPieces();
        pieceStart = pieces[0];
        pieceOffset = pieces[1];
        pieceLength = pieces[2];
        pieceOutput = pieces[3];
        bias = op.bias().toArray();
        stage = FastOutputStage.of(op.outputStage(), outC);
    }

    /** Layout, positions and chunks, for diagnostics. */
    String describe() {
        StringBuilder b = new StringBuilder(direct ? "direct" : "patches").append(", ").append(positions)
                .append(" positions, chunks");
        for (int c = 0; c < chunks.count(); c++) {
            b.append(' ').append(chunks.start[c + 1] - chunks.start[c]).append(chunks.isFloat[c] ? "f" : "i");
        }
        return b.toString();
    }

    /**
     * Direct unless the layer is strided or the patches layout computes a fifth fewer positions (small maps, where
     * the grid's extra columns and the rounding up to whole tiles weigh most).
     */
    static boolean prefersDirect(Conv2d op, TensorInfo in, TensorInfo out) {
        Window w = op.window();
        if (w.strideH() != 1 || w.strideW() != 1) {
            return false;
        }
        int outH = out.shape().height();
        int outW = out.shape().width();
        int gridWidth = w.padLeft() + in.shape().width() + w.padRight();
        return roundUp(outH * outW) >= 0.8 * roundUp((outH - 1) * gridWidth + outW);
    }

    /**
     * {@code n} rounded up to an odd number of 64-byte cache lines. A tile reads one short piece of each of up to
     * {@link #CHUNK} rows; rows a power of two apart (a 32×32 map is 4 KiB) would all fall into the same L1 sets and
     * evict each other. (A precaution: on this shared machine its effect was within the noise.)
     */
    private static int oddLines(int n) {
        int lines = (n + 15) / 16;
        return (lines | 1) * 16;
    }

    private static int roundUp(int n) {
        return (n + WIDTH - 1) / WIDTH * WIDTH;
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        requireInType(x);
        int length = inC * (direct ? 1 : taps) * rowLength;
        int[] xi = intWeights == null ? null : segments.copy(x, zeroPoint, new int[length]);
        float[] xf = floatWeights == null ? null : segments.copy(x, zeroPoint, new float[length]);
        int[] y = new int[outC * outH * outW];
        int units = workers.threads() == 1 ? 1 : Math.min(blocks, 4 * workers.threads());
        int perUnit = (blocks + units - 1) / units;
        int tiles = positions / WIDTH;
        int group = tileGroup(perUnit, tiles, groupBytes);
        workers.forEach((blocks + perUnit - 1) / perUnit, () -> new Scratch(perUnit * group), (scratch, u) -> {
            int from = u * perUnit;
            int to = Math.min(blocks, from + perUnit);
            for (int t0 = 0; t0 < tiles; t0 += group) {
                int t1 = Math.min(tiles, t0 + group);
                sum(xi, xf, t0, t1, from, to, scratch);
                for (int b = from; b < to; b++) {
                    for (int t = t0; t < t1; t++) {
                        int at = ((b - from) * (t1 - t0) + t - t0) * ROWS * WIDTH;
                        for (int i = 0; i < blockCount[b]; i++) {
                            emit(blockFirst[b] + i, t * WIDTH, scratch.sums, at + i * WIDTH, y);
                        }
                    }
                }
            }
        });
        return y;
    }

    /**
     * Where block {@code b}'s weights for the chunk {@code k0 ..< k1} start, less {@code k0·ROWS}: the tiles index
     * them as {@code w[at + k·ROWS + i]}. Chunk {@code [k0, k1)} starts at {@code k0·blocks·ROWS}.
     */
    private int weightAt(int k0, int k1, int b) {
        return (k0 * blocks + b * (k1 - k0) - k0) * ROWS;
    }

    /**
     * How many tiles of positions are summed together: as many as keep their sums (for {@code blocks} blocks) within
     * {@code bytes}. Each chunk's weights are then read once per group rather than once per tile — what matters
     * when a layer's weights do not fit in the L2 cache and its map is small (VGG7's 8×8 layers: 9.4 MB of weights
     * for two tiles), while the sums stay in L2.
     */
    static int tileGroup(int blocks, int tiles, int bytes) {
        long perTile = (long) blocks * ROWS * WIDTH * Integer.BYTES;
        return (int) Math.max(1, Math.min(tiles, bytes / perTile));
    }

    /**
     * One thread's working set: a tile, float and int, and the {@code int} sums of a group of tiles of its blocks —
     * block-major, then tile, then the tile's {@code ROWS × WIDTH} sums.
     */
    private static final class Scratch {
        final float[] floats = new float[ROWS * WIDTH];
        final int[] ints = new int[ROWS * WIDTH];
        final int[] sums;

        Scratch(int tileBlocks) {
            sums = new int[tileBlocks * ROWS * WIDTH];
        }
    }

    /**
     * The sums of tiles {@code t0 ..< t1} of blocks {@code from ..< to} into {@code scratch.sums}: chunk by chunk,
     * tile by tile, each tile's chunk of inputs ({@link #CHUNK} short pieces of rows) loaded into L1 by the first
     * block and reused by the others, and each block's chunk of weights reused by the group's tiles.
     */
    private void sum(int[] xi, float[] xf, int t0, int t1, int from, int to, Scratch scratch) {
        for (int c = 0; c < chunks.count(); c++) {
            int k0 = chunks.start[c];
            int k1 = chunks.start[c + 1];
            boolean first = c == 0;
            for (int t = t0; t < t1; t++) {
                int p = t * WIDTH;
                for (int b = from; b < to; b++) {
                    int[] rows = offset[blockGroup[b]];
                    int at = ((b - from) * (t1 - t0) + t - t0) * ROWS * WIDTH;
                    if (chunks.isFloat[c]) {
                        FloatTile.accumulate(xf, rows, k0, k1, floatWeights, weightAt(k0, k1, b), p,
                                scratch.floats);
                        FloatTile.drain(scratch.floats, scratch.sums, at, WIDTH, first);
                    } else {
                        IntTile.accumulate(xi, rows, k0, k1, intWeights, weightAt(k0, k1, b), p, scratch.ints);
                        IntTile.drain(scratch.ints, scratch.sums, at, WIDTH, first);
                    }
                }
            }
        }
    }

    /**
     * Output channel {@code o} at positions {@code p ..< p + WIDTH}: its sums {@code sums[at ..]} through the output
     * stage into {@code y}, the pieces that are outputs ({@link #pieceStart}).
     */
    private void emit(int o, int p, int[] sums, int at, int[] y) {
        int n = outH * outW;
        int tile = p / WIDTH;
        for (int s = pieceStart[tile]; s < pieceStart[tile + 1]; s++) {
            stage.applyRow(sums, at + pieceOffset[s], pieceLength[s], bias[o], o, y, o * n + pieceOutput[s]);
        }
    }

    /**
     * The outputs among each tile's positions, as pieces: tile {@code i} has pieces {@code pieceStart[i] ..<
     * pieceStart[i + 1]}, piece {@code s} is the {@code pieceLength[s]} positions from {@code pieceOffset[s]} in the
     * tile, which are outputs {@code pieceOutput[s] ..} of the channel. Patches: the first {@code outH·outW}
     * positions; direct: columns {@code x < outW} of grid rows {@code y < outH}. Returns {@code {pieceStart,
     * pieceOffset, pieceLength, pieceOutput}}.
     */
    private int[][] planPieces() {
        int n = outH * outW;
        int tiles = positions / WIDTH;
        int[] start = new int[tiles + 1];
        int[][] pieces = new int[3][positions];
        int count = 0;
        for (int tile = 0; tile < tiles; tile++) {
            start[tile] = count;
            int end = (tile + 1) * WIDTH;
            for (int q = tile * WIDTH; q < end;) {
                int oy = q / gridWidth;
                int ox = q % gridWidth;
                int rowEnd = Math.min(end, (oy + 1) * gridWidth);
                if (oy < outH && ox < outW && oy * outW + ox < n) {
                    pieces[0][count] = q - tile * WIDTH;
                    pieces[1][count] = Math.min(rowEnd, oy * gridWidth + outW) - q;
                    pieces[2][count] = oy * outW + ox;
                    count++;
                }
                q = rowEnd;
            }
        }
        start[tiles] = count;
        return new int[][] {start, Arrays.copyOf(pieces[0], count), Arrays.copyOf(pieces[1], count),
            Arrays.copyOf(pieces[2], count)};
    }

    /** Direct layout: channel {@code c}'s input rows, centred, on its zero-padded grid at {@code c·rowLength}. */
    private Segments gridSegments() {
        Segments segs = new Segments();
        int rows = outH - 1 + window.kernelH(); // grid rows some output reads
        for (int c = 0; c < inC; c++) {
            for (int r = 0; r < inH && r + window.padTop() < rows; r++) {
                segs.add(c, (c * inH + r) * inW, 1, c * rowLength + (r + window.padTop()) * gridWidth
                        + window.padLeft(), inW);
            }
        }
        return segs.done();
    }

    /** Patches layout (im2col): row {@code c·taps + t} holds what tap {@code t} of channel {@code c} sees. */
    private Segments patchSegments() {
        Segments segs = new Segments();
        int kW = window.kernelW();
        int sW = window.strideW();
        for (int c = 0; c < inC; c++) {
            for (int t = 0; t < taps; t++) {
                int j = t % kW - window.padLeft(); // input column of output column 0
                int oxFrom = j >= 0 ? 0 : (-j + sW - 1) / sW;
                int oxTo = Math.min(outW, inW - 1 - j < 0 ? 0 : (inW - 1 - j) / sW + 1);
                for (int oy = 0; oy < outH && oxFrom < oxTo; oy++) {
                    int r = oy * window.strideH() + t / kW - window.padTop();
                    if (r >= 0 && r < inH) { // else padding: centred 0
                        segs.add(c, (c * inH + r) * inW + oxFrom * sW + j, sW,
                                (c * taps + t) * rowLength + oy * outW + oxFrom, oxTo - oxFrom);
                    }
                }
            }
        }
        return segs.done();
    }

    /** The chunk bounds assume inputs of the input type; a value outside it is a broken model, not a wrong sum. */
    private void requireInType(int[] x) {
        int lo = typeMin;
        int hi = typeMax;
        int outside = 0;
        for (int v : x) {
            outside |= (v - lo) | (hi - v);
        }
        if (outside < 0) {
            throw new IllegalStateException("conv input outside its type [" + lo + ", " + hi + "]");
        }
    }
}
