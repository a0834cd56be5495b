package io.lowbit.accel.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RcaMappingTest {

    /** Paper Table 7, "Ours": input feature-map read passes per kernel size. */
    @ParameterizedTest
    @CsvSource({"1, 1", "3, 1", "5, 1", "7, 2", "9, 4", "11, 5"})
    void readPassesMatchPaperTable7(int k, int passes) {
        assertEquals(passes, RcaMapping.of(k, k, 25).readPasses());
    }

    /** Paper Fig. 10: 25 1×1 kernels, two 3×3 (18 of 25 PEs), one 5×5 per RCA. */
    @Test
    void kernelsPerRcaMatchPaperFigure10() {
        assertEquals(25, RcaMapping.of(1, 1, 25).slots());
        assertEquals(2, RcaMapping.of(3, 3, 25).slots());
        assertEquals(18, RcaMapping.of(3, 3, 25).busyPes(0));
        assertEquals(1, RcaMapping.of(5, 5, 25).slots());
        assertEquals(25, RcaMapping.of(5, 5, 25).busyPes(0));
    }

    @Test
    void largeKernelsSplitIntoChunksOfAtMost25Taps() {
        RcaMapping m = RcaMapping.of(7, 7, 25);
        assertEquals(25, m.chunkTaps(0));
        assertEquals(24, m.chunkTaps(1)); // 7×7 = 25 + 24
        assertEquals(25, m.chunkStart(1));
        RcaMapping m11 = RcaMapping.of(11, 11, 25);
        assertEquals(121, m11.chunkTaps(0) + m11.chunkTaps(1) + m11.chunkTaps(2) + m11.chunkTaps(3)
                + m11.chunkTaps(4));
    }
}
