package io.lowbit.core.model;

import java.util.List;

/** The output rules shared by {@link Conv2d} and {@link Linear}. */
final class WeightedOps {

    private WeightedOps() {
    }

    static TensorInfo output(WeightedOp op, Shape out, List<Double> scales) {
        OutputStage stage = op.outputStage();
        if (!(stage instanceof OutputStage.Accumulator)) {
            Rules.requireActivationType(stage.outputType().type(), "the requantized output");
            Rules.requireSingleScale(scales, "a requantized output");
        }
        return new TensorInfo(out, stage.outputType().type(), List.of(stage.outputType().zeroPoint()), scales);
    }
}
