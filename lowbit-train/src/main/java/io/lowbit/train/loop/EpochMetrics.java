package io.lowbit.train.loop;

/** One row of {@code metrics.csv}: the training and test figures of one epoch. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double learningRate, double seconds, double imagesPerSecond, double dataWaitSeconds) {

    static final String CSV_HEADER = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,images_per_s,data_wait_s";

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6g,%.2f,%.1f,%.3f", epoch, trainLoss,
                trainAccuracy, testLoss, testAccuracy, learningRate, seconds, imagesPerSecond, dataWaitSeconds);
    }
}
