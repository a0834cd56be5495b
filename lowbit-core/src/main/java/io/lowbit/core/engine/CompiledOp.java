package io.lowbit.core.engine;

import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.TensorInfo;
import java.util.List;

/**
 * One node of a model prepared once for {@link FastEngine}: weights decoded and laid out for the inner loop,
 * parameters unpacked from their records. Immutable, so one instance serves every image and every thread.
 */
interface CompiledOp {

    /**
     * The node's output for its input values (row-major codes, one array per input in order); never returns or
     * modifies an input array.
     *
     * @param workers threads the op may split its work over
     */
    int[] apply(int[][] inputs, Workers workers);

    /** The compiled form of {@code node}, whose inputs are described by {@code inputs}; convolutions by {@code conv}. */
    static CompiledOp of(Node node, List<TensorInfo> inputs, ConvKernel conv) {
        TensorInfo in = inputs.get(0);
        TensorInfo out = node.output();
        if (node.op() instanceof Conv2d op) {
            return conv.compile(op, in, out);
        } else if (node.op() instanceof Linear op) {
            return new FastLinear(op, in);
        } else if (node.op() instanceof MaxPool op) {
            return new FastMaxPool(op.window(), in, out);
        } else if (node.op() instanceof AvgPool op) {
            return new FastAvgPool(op, in, out);
        } else if (node.op() instanceof Add op) {
            return new FastAdd(op.add());
        } else if (node.op() instanceof ChannelPadSubsample op) {
            return new FastChannelPadSubsample(op, in, out);
        }
        throw new IllegalStateException("node '" + node.id() + "': no implementation of op " + node.op().kind());
    }
}
