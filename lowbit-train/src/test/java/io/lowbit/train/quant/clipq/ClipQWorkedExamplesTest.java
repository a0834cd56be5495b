package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The two published toy examples (papers.md §2.1 and §1.2). */
class ClipQWorkedExamplesTest {

    /** Original CLIP-Q Fig. 2 (papers.md §2.1): 16 weights, p = 0.25, b = 2, read row by row. */
    private static final float[] CLIPQ_FIG2 = {
        0.1f, -0.1f, 0.7f, -0.4f,
        0.7f, -0.5f, 0.9f, -0.1f,
        -1.0f, -0.6f, -1.6f, 0.8f,
        -0.5f, 1.1f, 0.2f, 1.2f};

    /** 0 = clipped, 1 = {−1.0, −1.6} → −1.3, 2 = {−0.4, −0.5, −0.6, −0.5} → −0.5, 3 = kept positives → 0.9. */
    private static final byte[] CLIPQ_FIG2_INDEXES = {0, 0, 3, 2, 3, 2, 3, 0, 1, 2, 1, 3, 2, 3, 0, 3};

    @ParameterizedTest
    @EnumSource(PartitionMode.class)
    void originalClipQExampleGivesTheSameLevelsAndAssignmentsInBothModes(PartitionMode mode) {
        ClipQResult r = new ClipQuantizer(ClipQConfig.of(0.25, 2, mode)).quantize(CLIPQ_FIG2.clone());

        assertEquals(2, r.prunedPositive());   // 0.1 and 0.2 of the 8 positives
        assertEquals(2, r.prunedNegative());   // −0.1 and −0.1 of the 8 negatives
        assertEquals(0.2f, r.clipPositive());
        assertEquals(-0.1f, r.clipNegative());
        assertArrayEquals(CLIPQ_FIG2_INDEXES, r.indexes());
        assertEquals(0f, r.level(0));
        assertEquals(-1.3f, r.level(1), 1e-6f);
        assertEquals(-0.5f, r.level(2), 1e-6f);
        assertEquals(0.9f, r.level(3), 1e-6f);
        assertArrayEquals(new int[] {4, 2, 4, 6}, r.levelCounts());
    }

    @Test
    void originalClipQExampleInQ35TruncatesItsLevels() {
        ClipQResult r = new ClipQuantizer(ClipQConfig.of(0.25, 2, PartitionMode.PER_SIGN_LINEAR)
                .withLevelFormat(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO)).quantize(CLIPQ_FIG2);
        // −1.3·32 = −41.6 → −41; −0.5 exact; 0.9·32 = 28.8 → 28
        assertArrayEquals(new int[] {0, -41, -16, 28}, r.levelCodes());
        assertArrayEquals(new float[] {0f, -1.28125f, -0.5f, 0.875f}, r.levels());
    }

    /**
     * FPGA paper Fig. 2 (papers.md §1.2: 25 weights, P = 0.2, B = 2, levels −1.02, −0.4, 0.91). The weight list
     * is <b>a reconstruction consistent with the figure's stated means, not the figure itself</b>: the figure
     * clips 3 of 10 positives and 2 negatives, which no ⌈p·n⌉ rule gives (⌈0.2·10⌉ = 2), so this list has 9
     * positives (⌈1.8⌉ = 2 clipped, 7 kept summing to 6.4) and 16 negatives (⌈3.2⌉ = 4 clipped, all −0.1, so
     * c⁻ = −0.1). With min = −1.4 the per-sign boundary is (−0.1 − 1.4)/2 = −0.75, so negatives in
     * (−0.75, −0.1) average −2.0/5 = −0.4 and those in [−1.4, −0.75] average −7.2/7 = −1.0286; the kept positives
     * average 6.4/7 = 0.9143. Laid out as a 5 × 5 grid row by row.
     */
    private static final float[] CHENG_FIG2_RECONSTRUCTED = {
        0.9f, -0.1f, -1.4f, 0.2f, -0.5f,
        -0.3f, 1.3f, -0.1f, -0.9f, 0.1f,
        -1.0f, 0.5f, -0.2f, -0.8f, 1.2f,
        -0.1f, -0.9f, 1.0f, -0.6f, -1.3f,
        0.1f, -0.4f, -0.9f, 1.3f, -0.1f};

    @Test
    void fpgaPaperExampleReconstructionGivesTheStatedMeansAndTheirQ35Truncations() {
        ClipQResult r = new ClipQuantizer(ClipQConfig.paperHardware()).quantize(CHENG_FIG2_RECONSTRUCTED);

        assertEquals(9, r.positives());
        assertEquals(16, r.negatives());
        assertEquals(2, r.prunedPositive());
        assertEquals(4, r.prunedNegative());
        assertEquals(-0.1f, r.clipNegative());
        assertEquals(0.1f, r.clipPositive());
        assertEquals(-7.2 / 7, r.means()[1], 1e-6);   // −1.0286, shown −1.02
        assertEquals(-0.4, r.means()[2], 1e-6);
        assertEquals(6.4 / 7, r.means()[3], 1e-6);     // 0.9143, shown 0.91
        // Q3.5 truncation toward zero (papers.md §1.2): −1.0, −0.375, 0.90625
        assertArrayEquals(new float[] {0f, -1.0f, -0.375f, 0.90625f}, r.levels());
        assertArrayEquals(new int[] {0, -32, -12, 29}, r.levelCodes());
        assertArrayEquals(new byte[] {
            3, 0, 1, 3, 2,
            2, 3, 0, 1, 0,
            1, 3, 2, 1, 3,
            0, 1, 3, 2, 1,
            0, 2, 1, 3, 0}, r.indexes());
        assertArrayEquals(new int[] {6, 7, 5, 7}, r.levelCounts());
    }

    /** papers.md §1.2: a global partition instead shares a middle segment between the signs (here 0.2 joins −0.5). */
    @Test
    void fpgaPaperExampleReconstructionUnderGlobalPartitionMixesSigns() {
        ClipQResult r = new ClipQuantizer(ClipQConfig.paperHardware().withMode(PartitionMode.GLOBAL_LINEAR))
                .quantize(CHENG_FIG2_RECONSTRUCTED);
        assertEquals(2, r.index(3));    // 0.2
        assertEquals(2, r.index(4));    // −0.5
        assertEquals(1, r.index(18));   // −0.6 now in the far segment
        assertEquals(3, r.index(11));   // 0.5
    }

    @Test
    void roundHalfUpIsTheNearestOption() {
        ClipQResult r = new ClipQuantizer(ClipQConfig.paperHardware().withLevelFormat(FixedPointFormat.Q3_5,
                Rounding.ROUND_HALF_UP)).quantize(CHENG_FIG2_RECONSTRUCTED);
        // −32.91 → −33, −12.8 → −13, 29.26 → 29
        assertArrayEquals(new int[] {0, -33, -13, 29}, r.levelCodes());
    }
}
