package io.lowbit.cli.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.lowbit.core.engine.IntegerEngine;
import io.lowbit.core.engine.NodeObserver;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.onnx.IntegerOnnxExport;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime (Java, CPU) running a model's exact integer ONNX form ({@link IntegerOnnxExport}): an engine written
 * by others that must give the lowbit engines' outputs bit for bit. (With {@link IntegerOnnxExport.Form#QLINEAR} it
 * runs ONNX Runtime's QLinearConv path instead, which only approximates them; {@code name()} says which.) Only the model output is observable, so
 * {@code run} accepts {@link NodeObserver#NONE} only. Sessions are cached per model (by identity); close the engine
 * to free them.
 */
public final class OnnxRuntimeEngine implements IntegerEngine, AutoCloseable {

    /** Default images per ONNX Runtime call in {@link #runBatch}. */
    public static final int BATCH = 64;

    private final OrtSessions sessions;
    private final int batchSize;
    private final IntegerOnnxExport.Form form;

    /** @param threads ONNX Runtime intra-op threads; 0 lets it choose (one per core) */
    public OnnxRuntimeEngine(int threads) {
        this(threads, BATCH, IntegerOnnxExport.Form.EXACT);
    }

    /**
     * @param batchSize images per ONNX Runtime call, ≥ 1
     * @param form      the exact form (bit-exact) or the QLinearConv form (ONNX Runtime's int8 path; close, not equal)
     */
    public OnnxRuntimeEngine(int threads, int batchSize, IntegerOnnxExport.Form form) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.sessions = new OrtSessions(threads, model -> IntegerOnnxExport.export(model, form, "lowbit"));
        this.batchSize = batchSize;
        this.form = form;
    }

    @Override
    public String name() {
        return form == IntegerOnnxExport.Form.EXACT ? "onnxruntime" : "onnxruntime-qlinear";
    }

    @Override
    public int[] run(IntegerModel model, byte[] image, NodeObserver observer) {
        if (observer != NodeObserver.NONE) {
            throw new IllegalArgumentException("the onnxruntime engine shows the model output only; use the reference"
                    + " or fast engine to observe every node");
        }
        return runBatch(model, List.of(image))[0];
    }

    @Override
    public int[][] runBatch(IntegerModel model, List<byte[]> images) {
        Input input = (Input) model.inputNode().op();
        int n = input.shape().elementCount();
        for (byte[] image : images) {
            ReferenceEngine.input(input, image, model.metadata().name()); // the engines' size and range checks
        }
        int outSize = model.outputNode().output().shape().elementCount();
        int[][] outputs = new int[images.size()][];
        OrtSession session = sessions.session(model);
        OnnxJavaType type = input.hostTable() == null && input.type().signed() ? OnnxJavaType.INT8
                : OnnxJavaType.UINT8;
        for (int start = 0; start < images.size(); start += batchSize) {
            int count = Math.min(batchSize, images.size() - start);
            ByteBuffer batch = ByteBuffer.allocateDirect(count * n);
            for (int i = 0; i < count; i++) {
                batch.put(images.get(start + i));
            }
            batch.flip();
            long[] shape = OrtSessions.batchShape(count, input.shape());
            try (OnnxTensor x = OnnxTensor.createTensor(sessions.environment(), batch, shape, type);
                    OrtSession.Result r = session.run(Map.of(IntegerOnnxExport.INPUT, x))) {
                IntBuffer y = ((OnnxTensor) r.get(0)).getIntBuffer();
                for (int i = 0; i < count; i++) {
                    int[] out = new int[outSize];
                    y.get(out);
                    outputs[start + i] = out;
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on model '" + model.metadata().name() + "': "
                        + e.getMessage(), e);
            }
        }
        return outputs;
    }

    @Override
    public void close() {
        sessions.close();
    }
}
