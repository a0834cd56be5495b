package io.lowbit.train.loop;

import java.util.List;

/**
 * The JSON metadata of a checkpoint: the run's configuration and where it stands. Optimizer state and the
 * parameters travel as tensors beside it.
 *
 * @param epochsDone     completed epochs; training resumes at this epoch index
 * @param optimizerSteps optimizer steps taken (Adam's bias correction needs it)
 */
public record CheckpointMeta(TrainConfig config, int epochsDone, long optimizerSteps, double bestTestAccuracy,
                             int bestEpoch, List<EpochMetrics> history) {

    public CheckpointMeta {
        history = List.copyOf(history);
    }
}
