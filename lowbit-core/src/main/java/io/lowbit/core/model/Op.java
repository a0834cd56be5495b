package io.lowbit.core.model;

import java.util.List;

/**
 * The operation of a {@link Node}: a small immutable record holding exactly the integer parameters
 * {@code docs/integer-semantics.md} needs for it. An op knows its rules: {@link #output} derives the output tensor
 * from the input tensors and rejects every violation with a message naming the rule.
 *
 * <p>Ops: {@link Input} (§3), {@link Conv2d} (§4, depthwise/grouped included), {@link Linear} (§4), {@link MaxPool}
 * (§11), {@link AvgPool} (§12, global included), {@link Add} (§13), {@link ChannelPadSubsample} (§14).
 */
public sealed interface Op permits Input, WeightedOp, MaxPool, AvgPool, Add, ChannelPadSubsample {

    /** Name of the op in the model file, e.g. {@code conv2d}. */
    String kind();

    /** Number of inputs. */
    int arity();

    /**
     * The output tensor for {@code inputs} (one per {@link #arity()}, in order).
     *
     * @param scales the output's real scale(s); ignored when {@link #inheritsScales()}
     * @throws IllegalArgumentException naming the violated rule
     */
    TensorInfo output(List<TensorInfo> inputs, List<Double> scales);

    /** Whether the output keeps the input's scale and zero-point (max pool, channel padding): no scale to give. */
    default boolean inheritsScales() {
        return false;
    }
}
