package io.lowbit.core.engine;

import io.lowbit.core.model.IntegerModel;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The compiled form of the last few models an engine ran, keyed by model identity (a model's {@code equals} and
 * {@code hashCode} walk all its weights) and held weakly: a model nobody references any more is dropped, and at most
 * {@link #CAPACITY} entries are kept. Thread-safe; two threads that miss at once may both compile, and one result
 * is kept — both are equal.
 */
final class ModelCache {

    static final int CAPACITY = 8;

    private record Entry(WeakReference<IntegerModel> model, CompiledModel compiled) {
    }

    /** Most recently used first. */
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ConvKernel conv;

    /** A cache compiling convolutions with {@code conv}. */
    ModelCache(ConvKernel conv) {
        this.conv = conv;
    }

    CompiledModel get(IntegerModel model) {
        CompiledModel hit = find(model);
        if (hit != null) {
            return hit;
        }
        CompiledModel compiled = CompiledModel.compile(model, conv); // outside the lock: compiling takes milliseconds
        synchronized (this) {
            hit = find(model);
            if (hit != null) {
                return hit;
            }
            entries.addFirst(new Entry(new WeakReference<>(model), compiled));
            while (entries.size() > CAPACITY) {
                entries.removeLast();
            }
            return compiled;
        }
    }

    /** The entry of {@code model}, moved to the front, or {@code null}; drops entries of collected models. */
    private synchronized CompiledModel find(IntegerModel model) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext();) {
            Entry e = it.next();
            IntegerModel m = e.model().get();
            if (m == null) {
                it.remove();
            } else if (m == model) {
                it.remove();
                entries.addFirst(e);
                return e.compiled();
            }
        }
        return null;
    }

    synchronized int size() {
        return entries.size();
    }
}
