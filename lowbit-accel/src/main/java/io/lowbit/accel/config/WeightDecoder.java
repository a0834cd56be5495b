package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * How weights reach the PEs. {@code codebook}: the weight-index BRAM holds a {@code b}-bit index per weight and a
 * per-layer table of {@code 2^b} levels turns it into the weight (CLIP-Q, paper Fig. 6: four 8-bit registers and a
 * 4-input multiplexer for {@code b = 2}). {@code plain}: the BRAM holds the {@code weightBits}-bit weight codes.
 *
 * @param kind      {@code codebook} or {@code plain}
 * @param indexBits bits per index for {@code codebook} (1..8), ignored (0) for {@code plain}
 */
public record WeightDecoder(Kind kind, int indexBits) {

    /** Weight storage kinds. */
    public enum Kind { @JsonProperty("codebook") CODEBOOK, @JsonProperty("plain") PLAIN }

    public WeightDecoder {
        Objects.requireNonNull(kind, "weightDecoder.kind");
        if (kind == Kind.CODEBOOK) {
            InvalidConfigException.inRange(indexBits, 1, 8, "weightDecoder.indexBits");
        } else {
            InvalidConfigException.require(indexBits == 0, "weightDecoder.indexBits belongs to a codebook decoder;"
                    + " a plain decoder stores weightBits-bit codes (omit indexBits or set it to 0)");
        }
    }

    public static WeightDecoder codebook(int indexBits) {
        return new WeightDecoder(Kind.CODEBOOK, indexBits);
    }

    public static WeightDecoder plain() {
        return new WeightDecoder(Kind.PLAIN, 0);
    }

    /** Codebook entries {@code 2^b}; 0 for a plain decoder. */
    @JsonIgnore
    public int entries() {
        return kind == Kind.CODEBOOK ? 1 << indexBits : 0;
    }
}
