package io.lowbit.train.loop;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA for one epoch. On a terminal it redraws in place; when output goes to a file or CI
 * log it prints one plain line at most every {@value #LOG_INTERVAL_SECONDS} seconds instead of thousands of
 * carriage-return frames.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final long LOG_INTERVAL_SECONDS = 15;

    private final ProgressBar bar;

    public ProgressReporter(String task, long steps, PrintStream out) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setMaxRenderedLength(130).setUpdateIntervalMillis(500).setStyle(ProgressBarStyle.ASCII);
        if (System.console() == null) {
            long[] last = {0};
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                long now = System.nanoTime();
                if (now - last[0] >= Duration.ofSeconds(LOG_INTERVAL_SECONDS).toNanos()) {
                    last[0] = now;
                    out.println(line.strip());
                }
            }, 130));
        }
        bar = b.build();
    }

    public void step(String message) {
        bar.setExtraMessage(message);
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
