package io.lowbit.accel.resource;

import java.util.List;

/**
 * Estimated resources of one configuration.
 *
 * @param accelerator    configuration name
 * @param dspMultipliers whether the codebook multipliers are DSP slices ({@code false}: LUTs, written as Booth logic in
 *                       the RTL)
 * @param convUnit       the conv unit by component: what {@code lowbit rtl synth} synthesizes, so what the model is
 *                       calibrated against
 * @param convUnitTotal  sum of {@link #convUnit}
 * @param buffers        the feature-map buffers and weight banks outside the conv unit (block RAM by their bytes;
 *                       not in the Yosys runs)
 * @param calibrated     {@code false} when a term has no RTL to calibrate against (line buffers), so the number is
 *                       an extrapolation
 */
public record ResourceEstimate(String accelerator, boolean dspMultipliers, List<ResourceTerm> convUnit,
        Resources convUnitTotal, Resources buffers, boolean calibrated) {

    public ResourceEstimate {
        convUnit = List.copyOf(convUnit);
    }

    /** Conv unit plus buffers. */
    public Resources withBuffers() {
        return convUnitTotal.plus(buffers);
    }

    public ResourceTerm term(String component) {
        return convUnit.stream().filter(t -> t.component().equals(component)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no term '" + component + "'"));
    }
}
