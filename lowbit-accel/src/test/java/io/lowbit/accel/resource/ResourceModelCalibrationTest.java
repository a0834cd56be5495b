package io.lowbit.accel.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The resource model against the Yosys samples it was fitted to ({@code bench/results/resource-calibration.json},
 * synthesized from the RTL of 2026-12-02): the stored coefficients are what {@link ResourceFit} gives for the samples,
 * every sample's LUTs and flip-flops are reproduced within 5 % (worst at the refit: LUT +2.6 %, 2×2×9; FF −1.4 %,
 * 1×2×25), every hold-out's within 10 % (worst: the multiplier-PE {@code dsp-packed} preset, LUT +9.5 %, whose
 * counted packing correction is too high; the other hold-outs within 3.8 %), and DSPs and block RAMs exactly.
 */
class ResourceModelCalibrationTest {

    /** Samples the coefficients were fitted to. */
    static final double TOLERANCE = 0.05;
    /** Syntheses not fitted. */
    static final double HOLDOUT_TOLERANCE = 0.10;

    static List<CalibrationSample> samples() throws IOException {
        return read("samples");
    }

    /**
     * Syntheses the model was not fitted to (a shallow-psum design, the DSE's best points, packed DSPs and multiplier
     * PEs, sample A with {@code -nodsp}, {@code DseCommandTest}'s design).
     */
    static List<CalibrationSample> holdout() throws IOException {
        return read("holdout");
    }

    private static List<CalibrationSample> read(String field) throws IOException {
        Path file = Path.of("..", "bench", "results", "resource-calibration.json");
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        JsonNode root = mapper.readTree(Files.readString(file));
        List<CalibrationSample> out = new ArrayList<>();
        for (JsonNode s : root.get(field)) {
            out.add(mapper.treeToValue(s, CalibrationSample.class));
        }
        return out;
    }

    @Test
    void storedCoefficientsAreTheFitOfTheSamples() throws IOException {
        ResourceModel fitted = ResourceFit.fit(samples());
        String message = "refit: new double[] " + format(fitted.lut()) + ", new double[] " + format(fitted.ff());
        for (int i = 0; i < ResourceModel.FEATURES.size(); i++) {
            assertEquals(fitted.lut()[i], ResourceModel.CALIBRATED.lut()[i], 1e-3 + 1e-6 * Math.abs(fitted.lut()[i]),
                    message);
            assertEquals(fitted.ff()[i], ResourceModel.CALIBRATED.ff()[i], 1e-3 + 1e-6 * Math.abs(fitted.ff()[i]),
                    message);
        }
    }

    @Test
    void everySampleIsReproducedWithinFivePercent() throws IOException {
        check("calibration samples", samples(), TOLERANCE);
    }

    @Test
    void theHoldoutSynthesesAreReproducedWithinTenPercent() throws IOException {
        List<CalibrationSample> h = holdout();
        assertTrue(h.size() >= 2);
        check("hold-out syntheses", h, HOLDOUT_TOLERANCE);
    }

    private static void check(String what, List<CalibrationSample> list, double tolerance) {
        StringBuilder table = new StringBuilder();
        double worst = 0;
        for (CalibrationSample s : list) {
            ResourceEstimate e = ResourceModel.CALIBRATED.estimate(s.config());
            double[] err = ResourceFit.relativeError(ResourceModel.CALIBRATED, s);
            String multipliers = s.config().multipliers().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + (s.nodsp() ? " -nodsp" : "");
            table.append(String.format(Locale.ROOT, "%-24s %dx%dx%d R%d %s: LUT %d vs %d (%+.1f %%), FF %d vs %d "
                    + "(%+.1f %%), DSP %d vs %d, BRAM36 %.1f vs %.1f%n", s.id(), s.po(), s.pi(), s.pes(),
                    s.requantizers(), multipliers, e.convUnitTotal().luts(), s.measured().luts(),
                    100 * err[0], e.convUnitTotal().flipFlops(), s.measured().flipFlops(), 100 * err[1],
                    e.convUnitTotal().dsps(), s.measured().dsps(), e.convUnitTotal().bram36(), s.measured().bram36()));
            worst = Math.max(worst, Math.max(Math.abs(err[0]), Math.abs(err[1])));
            assertEquals(s.measured().dsps(), e.convUnitTotal().dsps(), s.id() + " DSPs");
            assertEquals(s.measured().bram36(), e.convUnitTotal().bram36(), 1e-9, s.id() + " BRAM36");
        }
        System.out.print("[ResourceModel] " + what + " (estimate vs Yosys):\n" + table);
        System.out.printf(Locale.ROOT, "[ResourceModel] worst relative error %.1f %%%n", 100 * worst);
        assertTrue(worst <= tolerance, "worst error " + worst + " over " + tolerance + ":\n" + table);
    }

    @Test
    void termsAddUpAndScaleWithTheStructure() {
        var preset = AcceleratorConfigs.pynqZ2ClipQ();
        ResourceEstimate lut = ResourceModel.CALIBRATED.estimate(preset);
        ResourceEstimate dsp = ResourceModel.CALIBRATED.estimate(preset.withMultipliers("dsp", PeStyle.CODEBOOK_SELECT,
                Multipliers.DSP));
        assertEquals(lut.convUnit().stream().mapToLong(t -> t.resources().luts()).sum(), lut.convUnitTotal().luts());
        assertEquals(16, dsp.convUnitTotal().dsps()); // PI · 2^b codebook products
        assertTrue(dsp.convUnitTotal().luts() < lut.convUnitTotal().luts());
        assertEquals(32.0, lut.convUnitTotal().bram36(), 1e-9); // the synthesized psum banks (4 KiB per module)
        assertEquals(32 + 48 + 2 * 6, lut.buffers().bram36(), 1e-9); // feature maps (unequal buffers), weight banks
        assertTrue(lut.calibrated());
        var lineBuffer = AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer");
        assertEquals(Dataflow.LINE_BUFFER, lineBuffer.dataflow());
        assertTrue(!ResourceModel.CALIBRATED.estimate(lineBuffer).calibrated());
    }

    @Test
    void packedDspsHalveTheMultipliersOfThePapersPes() {
        var packed = AcceleratorConfigs.preset("pynq-z2-clipq-dsp-packed");
        assertEquals(PeStyle.MULTIPLIER, packed.peStyle());
        assertEquals(2, packed.productsPerDsp()); // 9-bit inputs × 8-bit levels per DSP48E1
        ResourceEstimate e = ResourceModel.CALIBRATED.estimate(packed);
        assertEquals(4 * 4 * 13, e.convUnitTotal().dsps()); // 25 PEs of an RCA share x: 13 DSPs per RCA
        assertEquals(4 * 4 * 12 * 16, e.term("DSP packing correction").resources().luts()); // one 16-bit adder a pair
        var unpacked = packed.withMultipliers("dsp", PeStyle.MULTIPLIER, Multipliers.DSP);
        assertEquals(400, ResourceModel.CALIBRATED.estimate(unpacked).convUnitTotal().dsps());
        var select = packed.withMultipliers("sel", PeStyle.CODEBOOK_SELECT, Multipliers.DSP_PACKED);
        assertEquals(4 * 2, ResourceModel.CALIBRATED.estimate(select).convUnitTotal().dsps()); // 4 levels, 2 per DSP
    }

    @Test
    void deviceBudgetsKeepTheMarginOnLogicOnly() {
        DeviceBudget d = DeviceBudget.preset("xc7z020");
        assertTrue(d.fits(new Resources(47_880, 1000, 220, 140), 0.10));
        assertTrue(!d.fits(new Resources(47_881, 1000, 0, 0), 0.10));
        assertTrue(!d.fits(new Resources(1000, 1000, 221, 0), 0.10));
        assertTrue(!d.fits(new Resources(1000, 1000, 0, 140.5), 0.0));
        assertEquals(70_560, DeviceBudget.preset("XCZU3EG").resources().luts());
    }

    private static String format(double[] a) {
        return Arrays.toString(Arrays.stream(a).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v)).toArray())
                .replace('[', '{').replace(']', '}');
    }
}
