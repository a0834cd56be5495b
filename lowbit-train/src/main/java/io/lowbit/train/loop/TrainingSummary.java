package io.lowbit.train.loop;

/**
 * {@code summary.json} of a run.
 *
 * @param status          "running", "completed" or "diverged"
 * @param imagesPerSecond training throughput over all completed epochs (augmentation and loading included)
 * @param dataWaitFraction share of training time the loop waited for batches
 */
public record TrainingSummary(String status, String model, long trainableParameters, long macsPerImage,
                              String dataset, int trainImages, int testImages, int epochsDone, int epochs,
                              double finalTestAccuracy, double bestTestAccuracy, int bestEpoch,
                              double trainSeconds, double imagesPerSecond, double dataWaitFraction,
                              long seed, String commandLine, String versions, String message) {
}
