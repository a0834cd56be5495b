package io.lowbit.train.loop;

import java.util.List;
import java.util.Locale;

/**
 * Learning rate as a function of training progress (in epochs, fractional within an epoch, so it changes
 * every step). Linear warm-up from 0 over {@code warmupEpochs}, then either cosine decay to 0 at
 * {@code totalEpochs} or step decay by {@code gamma} at each milestone epoch, or constant.
 */
public record LrSchedule(String kind, double baseLr, double warmupEpochs, int totalEpochs, List<Integer> milestones,
                         double gamma) {

    public LrSchedule {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!List.of("cosine", "step", "constant").contains(kind)) {
            throw new IllegalArgumentException("unknown schedule '" + kind + "'; choose cosine, step or constant");
        }
        if (!(baseLr > 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("--lr must be positive and finite, got " + baseLr);
        }
        if (totalEpochs < 1) {
            throw new IllegalArgumentException("--epochs must be ≥ 1, got " + totalEpochs);
        }
        if (!(warmupEpochs >= 0 && warmupEpochs < totalEpochs)) {
            throw new IllegalArgumentException("--warmup must be in [0, epochs), got " + warmupEpochs);
        }
        milestones = milestones == null ? List.of() : List.copyOf(milestones);
    }

    public static LrSchedule cosine(double baseLr, double warmupEpochs, int totalEpochs) {
        return new LrSchedule("cosine", baseLr, warmupEpochs, totalEpochs, List.of(), 0.1);
    }

    public LrSchedule withTotalEpochs(int epochs) {
        return new LrSchedule(kind, baseLr, warmupEpochs, epochs, milestones, gamma);
    }

    /** Learning rate at {@code progress} epochs since the start (0 ≤ progress ≤ totalEpochs). */
    public double at(double progress) {
        if (progress < warmupEpochs) {
            return baseLr * progress / warmupEpochs;
        }
        return switch (kind) {
            case "cosine" -> {
                double span = Math.max(1e-9, totalEpochs - warmupEpochs);
                double t = Math.min(1.0, (progress - warmupEpochs) / span);
                yield 0.5 * baseLr * (1 + Math.cos(Math.PI * t));
            }
            case "step" -> {
                double lr = baseLr;
                for (int m : milestones) {
                    if (progress >= m) {
                        lr *= gamma;
                    }
                }
                yield lr;
            }
            default -> baseLr;
        };
    }
}
