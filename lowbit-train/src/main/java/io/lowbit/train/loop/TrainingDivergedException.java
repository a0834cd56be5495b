package io.lowbit.train.loop;

/** The loss became NaN or infinite; the run stopped and the last good checkpoint was kept. */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
