package io.lowbit.core.engine;

import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import java.util.List;

/**
 * A model compiled for {@link FastEngine}: one {@link CompiledOp} per node and the positions of each node's inputs,
 * so a run is a walk over arrays. Holds the model's nodes but not the model itself, so a cache can key it weakly.
 */
final class CompiledModel {

    private final String modelName;
    private final Input input;
    private final List<Node> nodes;
    private final CompiledOp[] ops;
    private final int[][] inputPositions;
    private final int outputPosition;

    private CompiledModel(IntegerModel model, ConvKernel conv) {
        modelName = model.metadata().name();
        input = (Input) model.inputNode().op();
        nodes = model.nodes();
        ops = new CompiledOp[nodes.size()];
        inputPositions = new int[nodes.size()][];
        for (int i = 1; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            ops[i] = CompiledOp.of(node, model.inputInfos(node), conv);
            inputPositions[i] = node.inputs().stream().mapToInt(model::position).toArray();
        }
        outputPosition = model.position(model.outputId());
    }

    static CompiledModel compile(IntegerModel model, ConvKernel conv) {
        return new CompiledModel(model, conv);
    }

    /** The output node's values; {@code observer} sees every node in model order on the calling thread. */
    int[] run(byte[] image, NodeObserver observer, Workers workers) {
        int[][] values = new int[nodes.size()][];
        values[0] = ReferenceEngine.input(input, image, modelName); // §3, with the reference's checks and messages
        observe(observer, 0, values[0]);
        for (int i = 1; i < nodes.size(); i++) {
            int[] positions = inputPositions[i];
            int[][] args = new int[positions.length][];
            for (int k = 0; k < positions.length; k++) {
                args[k] = values[positions[k]];
            }
            values[i] = ops[i].apply(args, workers);
            observe(observer, i, values[i]);
        }
        return values[outputPosition];
    }

    private void observe(NodeObserver observer, int position, int[] value) {
        if (observer != NodeObserver.NONE) {
            Node node = nodes.get(position);
            observer.onOutput(node, IntTensor.of(node.output().shape(), value));
        }
    }
}
