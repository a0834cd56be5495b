package io.lowbit.core.onnx;

/** A model (or one node of it) that has no ONNX form in lowbit's export; the message says which node and why. */
public final class OnnxExportException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public OnnxExportException(String message) {
        super(message);
    }
}
