package io.lowbit.train.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.train.TestData;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interleaved rounds of {@code lowbit bench-train}: float first, medians, per-round ratios. */
class TrainingThroughputTest {

    @Test
    void roundsInterleaveTheConfigurationsAndReportMedians() throws Exception {
        LabeledImages train = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, TestData.sharedData(),
                false).train();
        List<TrainingThroughput.Result> rs = TrainingThroughput.measure(ModelSpec.of("nin", 0.0625, 10),
                List.of("lsfq:w=4,a=4"), train, Normalization.CIFAR10, 16, 1, 2, 3, 100);
        assertEquals(2, rs.size());
        assertEquals("float", rs.get(0).quant());
        assertEquals("lsfq:w=4,a=4", rs.get(1).quant());
        assertEquals(1.0, rs.get(0).stepTimeVsFloat());
        for (TrainingThroughput.Result r : rs) {
            assertEquals(3, r.rounds());
            assertEquals(3, r.imagesPerSecondByRound().length);
            assertEquals(TrainingThroughput.median(r.imagesPerSecondByRound()), r.imagesPerSecond());
            assertTrue(r.stepTimeVsFloat() > 0 && r.gflopsPerSecond() > 0);
        }
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, TrainingThroughput.median(new double[] {3, 1, 2}));
        assertEquals(2.5, TrainingThroughput.median(new double[] {4, 1, 3, 2}));
        double[] v = {3, 1, 2};
        TrainingThroughput.median(v);
        assertArrayEquals(new double[] {3, 1, 2}, v, "the input is not reordered");
    }

    @Test
    void tooFewBatchesIsAClearError() throws Exception {
        LabeledImages train = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, TestData.sharedData(),
                false).train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingThroughput.measure(
                ModelSpec.of("nin", 0.0625, 10), List.of(), train, Normalization.CIFAR10, 128, 1000, 1, 1, 100));
        assertTrue(e.getMessage().contains("fewer than the 1001 steps"), e.getMessage());
    }
}
