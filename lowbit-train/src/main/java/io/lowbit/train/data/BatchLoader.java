package io.lowbit.train.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The batches of one epoch, assembled by a background thread while the caller trains on the previous ones.
 *
 * <p><b>Determinism.</b> The sample order and every augmentation decision are pure functions of {@code (seed, epoch)}
 * and a sample's position in the epoch; they do not depend on thread timing or on the batch size. A run resumed at an
 * epoch boundary therefore sees exactly the batches it would have seen without interruption.
 *
 * <p><b>Threading.</b> One worker thread stays up to {@value #PREFETCH} batches ahead. Every batch gets fresh arrays
 * (1.5 MB for 128 images), so a returned {@link Batch} stays valid indefinitely. Failures in the worker surface as
 * an {@link IllegalStateException} from {@link #next()} with the original as cause. Use try-with-resources:
 * {@link #close()} stops the worker if the epoch is abandoned early. The loader is meant for a single consuming
 * thread.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

    /** Batches prepared ahead of the consumer. */
    public static final int PREFETCH = 2;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final LabeledImages data;
    private final int batchSize;
    private final int batchesPerEpoch;
    private final int[] order;
    private final long epochSeed;
    private final Augmentation augmentation;
    private final float[][] tables;
    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(PREFETCH);
    private final Thread worker;

    private int delivered;
    private volatile boolean closed;
    private volatile long waitNanos;

    /** A worker failure, queued in place of the batch it was preparing. */
    private record Failure(Throwable error) {
    }

    private BatchLoader(LabeledImages data, int batchSize, boolean shuffle, boolean dropLast,
            Augmentation augmentation, InputEncoding input, long seed, int epoch) {
        this.data = data;
        this.batchSize = batchSize;
        this.batchesPerEpoch = countBatches(data.size(), batchSize, dropLast);
        this.epochSeed = derive(seed, epoch);
        this.order = epochOrder(data.size(), shuffle, epochSeed);
        this.augmentation = augmentation;
        this.tables = new float[LabeledImages.CHANNELS][];
        for (int c = 0; c < LabeledImages.CHANNELS; c++) {
            tables[c] = input.table(c);
        }
        this.worker = batchesPerEpoch == 0 ? null : new Thread(this::produce, "lowbit-batches-epoch-" + epoch);
    }

    /**
     * Starts loading the batches of one epoch.
     *
     * @param data          images to iterate over
     * @param batchSize     images per batch, positive
     * @param shuffle       whether to visit the images in a random order instead of file order
     * @param dropLast      whether to skip a final batch smaller than {@code batchSize}
     * @param augmentation  random crop/flip, {@link Augmentation#NONE} for evaluation
     * @param input         what each pixel becomes: its {@link Normalization}, or the {@link InputCodes} of a model
     *                      trained on the integer model's input
     * @param seed          run seed
     * @param epoch         epoch number, non-negative; with {@code seed} it fixes order and augmentation
     */
    public static BatchLoader forEpoch(LabeledImages data, int batchSize, boolean shuffle, boolean dropLast,
            Augmentation augmentation, InputEncoding input, long seed, int epoch) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(input, "input");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        BatchLoader loader = new BatchLoader(data, batchSize, shuffle, dropLast, augmentation, input, seed, epoch);
        if (loader.worker != null) {
            loader.worker.setDaemon(true); // an abandoned, unclosed loader must not keep the JVM alive
            loader.worker.start();
        }
        return loader;
    }

    /** Number of batches an epoch over {@code datasetSize} images yields. */
    public static int countBatches(int datasetSize, int batchSize, boolean dropLast) {
        if (datasetSize < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need datasetSize >= 0 and batchSize > 0, got " + datasetSize
                    + " and " + batchSize);
        }
        return dropLast ? datasetSize / batchSize : (datasetSize + batchSize - 1) / batchSize;
    }

    /** Number of batches this epoch yields in total. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Total time the caller has spent blocked in {@link #next()} waiting for a batch, in nanoseconds. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Whether another batch remains; {@code false} once closed. */
    @Override
    public boolean hasNext() {
        return !closed && delivered < batchesPerEpoch;
    }

    /**
     * The next batch, waiting for the worker if it is not ready yet.
     *
     * @throws NoSuchElementException if the epoch is over
     * @throws IllegalStateException  if the loader was closed, the worker failed (the cause is the worker's
     *                                exception), or the calling thread was interrupted (its flag is kept)
     */
    @Override
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("BatchLoader is closed");
        }
        if (delivered >= batchesPerEpoch) {
            throw new NoSuchElementException("all " + batchesPerEpoch + " batches of this epoch were delivered");
        }
        long start = System.nanoTime();
        Object item;
        try {
            item = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + delivered, e);
        } finally {
            waitNanos += System.nanoTime() - start;
        }
        if (item instanceof Failure failure) {
            close();
            throw new IllegalStateException("preparing batch " + delivered + " failed: " + failure.error(),
                    failure.error());
        }
        delivered++;
        return (Batch) item;
    }

    /** Stops the worker thread and drops prepared batches. Idempotent. */
    @Override
    public void close() {
        closed = true;
        if (worker == null) {
            return;
        }
        worker.interrupt();
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true; // finish stopping the worker, then restore the caller's flag
            }
        }
        ready.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void produce() {
        try {
            for (int b = 0; b < batchesPerEpoch && !closed; b++) {
                ready.put(assemble(b));
            }
        } catch (InterruptedException e) {
            if (!closed) { // interrupted by someone else: the consumer must not wait forever for the next batch
                handOver(new Failure(e));
            }
        } catch (Throwable t) { // any failure must reach the consumer, which would otherwise wait forever
            handOver(new Failure(t));
        }
    }

    private void handOver(Failure failure) {
        try {
            ready.put(failure);
        } catch (InterruptedException e) {
            // closed while handing over the failure: nobody is waiting for it any more
        }
    }

    /** Batch {@code b}: positions {@code [b·batchSize, min((b+1)·batchSize, n))} of the epoch order. */
    private Batch assemble(int b) {
        int from = b * batchSize;
        int size = Math.min(batchSize, order.length - from);
        float[] out = new float[size * LabeledImages.IMAGE_BYTES];
        int[] labels = new int[size];
        int padding = augmentation.padding();
        for (int j = 0; j < size; j++) {
            int position = from + j;
            int image = order[position];
            labels[j] = data.labels()[image];
            int src = image * LabeledImages.IMAGE_BYTES;
            int dst = j * LabeledImages.IMAGE_BYTES;
            if (augmentation.isIdentity()) {
                copyNormalized(src, out, dst);
            } else {
                // Draw order (rows, columns, flip) is part of the reproducibility contract: do not reorder.
                SplittableRandom random = new SplittableRandom(derive(epochSeed, position));
                int dy = random.nextInt(2 * padding + 1) - padding;
                int dx = random.nextInt(2 * padding + 1) - padding;
                boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
                copyAugmented(src, out, dst, dy, dx, flip);
            }
        }
        return new Batch(out, labels, size);
    }

    private void copyNormalized(int src, float[] out, int dst) {
        byte[] pixels = data.pixels();
        for (int c = 0; c < LabeledImages.CHANNELS; c++) {
            float[] table = tables[c];
            int offset = c * LabeledImages.PLANE_BYTES;
            for (int k = 0; k < LabeledImages.PLANE_BYTES; k++) {
                out[dst + offset + k] = table[pixels[src + offset + k] & 0xFF];
            }
        }
    }

    /**
     * Output pixel (y, x) is source pixel (y + dy, x' + dx) with x' = 31 − x if flipped, else x; pixels outside the
     * source are the zero padding (raw pixel 0, encoded like any pixel). This equals padding, cropping at offset
     * (dy + padding, dx + padding), then flipping.
     */
    private void copyAugmented(int src, float[] out, int dst, int dy, int dx, boolean flip) {
        byte[] pixels = data.pixels();
        int side = LabeledImages.SIDE;
        for (int c = 0; c < LabeledImages.CHANNELS; c++) {
            float[] table = tables[c];
            float zero = table[0];
            int srcPlane = src + c * LabeledImages.PLANE_BYTES;
            int dstPlane = dst + c * LabeledImages.PLANE_BYTES;
            for (int y = 0; y < side; y++) {
                int row = dstPlane + y * side;
                int sy = y + dy;
                if (sy < 0 || sy >= side) {
                    Arrays.fill(out, row, row + side, zero);
                    continue;
                }
                int srcRow = srcPlane + sy * side;
                for (int x = 0; x < side; x++) {
                    int sx = (flip ? side - 1 - x : x) + dx;
                    out[row + x] = sx < 0 || sx >= side ? zero : table[pixels[srcRow + sx] & 0xFF];
                }
            }
        }
    }

    /** The order in which an epoch visits the images: identity, or a Fisher–Yates shuffle seeded by the epoch. */
    static int[] epochOrder(int n, boolean shuffle, long epochSeed) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(derive(epochSeed, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /** A seed for the child stream {@code child} of {@code parent}; distinct children give unrelated seeds. */
    static long derive(long parent, long child) {
        return mix64(parent ^ mix64(child * GOLDEN_GAMMA + GOLDEN_GAMMA));
    }

    /** The SplitMix64 finalizer: a bijection on 64-bit values that spreads every input bit over the output. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
