package io.lowbit.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void cosineWithWarmup() {
        LrSchedule s = LrSchedule.cosine(0.1, 2, 12);
        assertEquals(0.0, s.at(0), 1e-12);
        assertEquals(0.05, s.at(1), 1e-12);
        assertEquals(0.1, s.at(2), 1e-12);
        assertEquals(0.05, s.at(7), 1e-12); // half way through the decay
        assertEquals(0.0, s.at(12), 1e-12);
    }

    @Test
    void stepDecaysAtMilestones() {
        LrSchedule s = new LrSchedule("step", 0.1, 0, 200, List.of(100, 150), 0.1);
        assertEquals(0.1, s.at(99.9), 1e-12);
        assertEquals(0.01, s.at(100), 1e-12);
        assertEquals(0.001, s.at(150), 1e-12);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(-1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(Double.NaN, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule("linear", 0.1, 0, 10, List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig("rmsprop", 0, false, 0, 0, 0, 0));
    }
}
