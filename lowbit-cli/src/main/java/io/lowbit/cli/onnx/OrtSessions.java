package io.lowbit.cli.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Shape;
import java.util.function.Function;

/** One ONNX Runtime session per model (the last one used), built from exported bytes with a fixed thread count. */
final class OrtSessions implements AutoCloseable {

    private final int threads;
    private final Function<IntegerModel, byte[]> exporter;
    private IntegerModel model;
    private OrtSession session;

    OrtSessions(int threads, Function<IntegerModel, byte[]> exporter) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0 (0 = ONNX Runtime's choice), got " + threads);
        }
        this.threads = threads;
        this.exporter = exporter;
    }

    OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    synchronized OrtSession session(IntegerModel m) {
        if (m != model) {
            close();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                session = environment().createSession(exporter.apply(m), options);
                model = m;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime rejected the ONNX form of model '" + m.metadata().name()
                        + "': " + e.getMessage(), e);
            }
        }
        return session;
    }

    static long[] batchShape(int count, Shape s) {
        long[] shape = new long[s.rank() + 1];
        shape[0] = count;
        for (int i = 0; i < s.rank(); i++) {
            shape[i + 1] = s.dim(i);
        }
        return shape;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
            session = null;
            model = null;
        }
    }
}
