package io.lowbit.train.export;

/**
 * A trained model that {@link IntegerExport} cannot (yet) turn into an integer model; the message names the layer
 * and the reason, e.g. {@code "layer conv1: float layer: every conv/linear layer must be quantized"}, so callers can report it as is.
 */
public final class ExportException extends UnsupportedOperationException {

    private final String layer;

    public ExportException(String layer, String reason) {
        super("layer " + layer + ": " + reason);
        this.layer = layer;
    }

    /** The layer (or block) that cannot be exported. */
    public String layer() {
        return layer;
    }
}
