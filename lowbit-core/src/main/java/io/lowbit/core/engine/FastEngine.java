package io.lowbit.core.engine;

import io.lowbit.core.model.IntegerModel;
import java.util.List;
import java.util.Objects;

/**
 * The integer engine for volume — accuracy over a test set, benchmarks, comparisons against the simulator —
 * bit-exact with {@link ReferenceEngine} on every node ({@code FastEngineTest} checks it node by node with
 * {@link EngineComparison}) and about 200 times faster on one thread for the NIN ({@code lowbit bench-engine},
 * bench/README.md).
 *
 * <p>Why it is fast: each model is compiled once ({@code CompiledModel}, cached by model identity): weights decoded
 * into plain arrays, output stages unpacked, and convolutions turned into register-blocked matrix-product tiles in
 * {@code float} FMAs with the Java Vector API ({@code TiledConv2d}) — exact because a per-chunk bound from the actual
 * weights keeps every partial sum an integer within {@code ±2^22}, with {@code int} tiles for chunks that could
 * exceed it ({@code ExactChunks}); chunk sums are added in {@code int}, exact because of the model's int32 accumulator
 * bound (§5). {@link #run} splits each layer's output channels over the engine's threads; {@link #runBatch} gives
 * each thread whole images instead, with no hand-over between layers.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector} (JDK 17's incubating Vector API); {@link ConvKernel#AXPY}
 * selects the previous plain-Java {@code int} convolution ({@code FastConv2d}).
 */
public final class FastEngine implements IntegerEngine {

    private final Workers workers;
    private final ConvKernel conv;
    private final ModelCache cache;

    /** An engine using every available processor. */
    public FastEngine() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * An engine using {@code threads} threads (the caller's included; 1 runs everything on the caller's thread) and
     * the convolution kernel of {@link ConvKernel#fromSystemProperty}.
     */
    public FastEngine(int threads) {
        this(threads, ConvKernel.fromSystemProperty());
    }

    /** An engine using {@code threads} threads and convolution kernel {@code conv}. */
    public FastEngine(int threads, ConvKernel conv) {
        this.workers = new Workers(threads);
        this.conv = Objects.requireNonNull(conv, "conv");
        this.cache = new ModelCache(conv);
    }

    @Override
    public String name() {
        return conv == ConvKernel.TILED ? "fast" : "fast-axpy";
    }

    public int threads() {
        return workers.threads();
    }

    public ConvKernel convKernel() {
        return conv;
    }

    @Override
    public int[] run(IntegerModel model, byte[] image, NodeObserver observer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(observer, "observer");
        return cache.get(model).run(image, observer, workers);
    }

    /** Runs the images in parallel, each on one thread; the same outputs as {@link #run} on each, in order. */
    @Override
    public int[][] runBatch(IntegerModel model, List<byte[]> images) {
        Objects.requireNonNull(model, "model");
        List<byte[]> batch = List.copyOf(images); // rejects null images before any work
        CompiledModel compiled = cache.get(model);
        int[][] outputs = new int[batch.size()][];
        workers.forEach(batch.size(), i -> outputs[i] = compiled.run(batch.get(i), NodeObserver.NONE,
                Workers.SERIAL));
        return outputs;
    }

    int cachedModels() {
        return cache.size();
    }
}
