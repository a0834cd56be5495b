package io.lowbit.accel.compile;

/** A layer the configured design cannot run; the message names the layer and the limit it breaks. */
public final class UnsupportedLayerException extends IllegalArgumentException {

    private final String layer;

    public UnsupportedLayerException(String layer, String reason) {
        super("layer '" + layer + "': " + reason);
        this.layer = layer;
    }

    public String layer() {
        return layer;
    }
}
