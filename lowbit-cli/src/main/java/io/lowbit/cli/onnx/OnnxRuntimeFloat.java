package io.lowbit.cli.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.onnx.FloatOnnxExport;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime running the dequantized float network of an integer model ({@link FloatOnnxExport}): the float
 * baseline of the engine benchmark. Inputs are the same image bytes as for the integer engines, turned into the real
 * values {@code S_in·(x − Z_c)} before the call.
 */
public final class OnnxRuntimeFloat implements AutoCloseable {

    private final OrtSessions sessions;
    private final int batchSize;

    public OnnxRuntimeFloat(int threads) {
        this(threads, OnnxRuntimeEngine.BATCH);
    }

    /** @param batchSize images per ONNX Runtime call, ≥ 1 */
    public OnnxRuntimeFloat(int threads, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.sessions = new OrtSessions(threads, model -> FloatOnnxExport.export(model, "lowbit"));
        this.batchSize = batchSize;
    }

    /** The real outputs of each image, {@code batchSize} images per call. */
    public float[][] runBatch(IntegerModel model, List<byte[]> images) {
        Input input = (Input) model.inputNode().op();
        TensorInfo info = model.inputNode().output();
        int n = input.shape().elementCount();
        int plane = n / input.shape().channels();
        int outSize = model.outputNode().output().shape().elementCount();
        OrtSession session = sessions.session(model);
        float[][] outputs = new float[images.size()][];
        for (int start = 0; start < images.size(); start += batchSize) {
            int count = Math.min(batchSize, images.size() - start);
            FloatBuffer batch = FloatBuffer.allocate(count * n);
            for (int i = 0; i < count; i++) {
                int[] codes = ReferenceEngine.input(input, images.get(start + i), model.metadata().name());
                for (int k = 0; k < n; k++) {
                    int c = k / plane;
                    batch.put((float) (info.scale(0) * (codes[k] - info.zeroPoint(c))));
                }
            }
            batch.flip();
            try (OnnxTensor x = OnnxTensor.createTensor(sessions.environment(), batch,
                    OrtSessions.batchShape(count, input.shape()));
                    OrtSession.Result r = session.run(Map.of(FloatOnnxExport.INPUT, x))) {
                FloatBuffer y = ((OnnxTensor) r.get(0)).getFloatBuffer();
                for (int i = 0; i < count; i++) {
                    float[] out = new float[outSize];
                    y.get(out);
                    outputs[start + i] = out;
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed on the float form of model '"
                        + model.metadata().name() + "': " + e.getMessage(), e);
            }
        }
        return outputs;
    }

    /** Index of the largest value, ties to the lowest index. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        sessions.close();
    }
}
