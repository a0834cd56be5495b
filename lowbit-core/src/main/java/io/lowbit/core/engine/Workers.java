package io.lowbit.core.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * A fixed number of threads — the calling thread plus {@code threads − 1} pool workers — sharing the indexes
 * {@code 0..count−1} of one job. Indexes are handed out one at a time, so uneven items (output channels with more
 * non-zero weights, images of a batch) balance themselves; each thread gets its own scratch state, so the job needs no
 * locks. The pool's threads are daemon threads and retire when idle, so an engine needs no closing.
 */
final class Workers {

    /** Everything on the calling thread. */
    static final Workers SERIAL = new Workers(1);

    private final int threads;
    private final ForkJoinPool pool;

    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1);
    }

    int threads() {
        return threads;
    }

    /** Calls {@code body} for every index in {@code [0, count)}. */
    void forEach(int count, IntConsumer body) {
        forEach(count, () -> null, (unused, i) -> body.accept(i));
    }

    /**
     * Calls {@code body(state, i)} for every index in {@code [0, count)}, each thread with its own {@code state}
     * from {@code newState}. Returns when all calls have returned; the first failure is rethrown after the other
     * threads have stopped taking indexes.
     */
    <S> void forEach(int count, Supplier<S> newState, ObjIntConsumer<S> body) {
        int tasks = Math.min(threads, count);
        if (tasks <= 1) {
            S state = newState.get();
            for (int i = 0; i < count; i++) {
                body.accept(state, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                S state = newState.get();
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.accept(state, i);
                }
            } catch (RuntimeException e) {
                next.set(count); // the others stop at their next index
                if (!failure.compareAndSet(null, e)) {
                    failure.get().addSuppressed(e); // synchronized in Throwable
                }
            }
        };
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[tasks - 1];
        for (int t = 0; t < forked.length; t++) {
            forked[t] = pool.submit(worker);
        }
        worker.run();
        for (ForkJoinTask<?> task : forked) {
            task.join();
        }
        if (failure.get() != null) {
            throw failure.get(); // the original exception, not a copy made by join()
        }
    }
}
