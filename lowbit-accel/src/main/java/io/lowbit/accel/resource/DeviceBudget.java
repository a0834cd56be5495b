package io.lowbit.accel.resource;

import java.util.List;
import java.util.Locale;

/**
 * The resources of one FPGA.
 *
 * @param name      preset name, e.g. {@code xc7z020}
 * @param part      device family and part, for reports
 * @param resources LUTs, flip-flops, DSP slices, 36 Kb block RAMs
 */
public record DeviceBudget(String name, String part, Resources resources) {

    /** Zynq-7020 (PYNQ-Z2), the paper's device: 53,200 LUT, 106,400 FF, 220 DSP48E1, 140 RAMB36. */
    public static final DeviceBudget XC7Z020 = new DeviceBudget("xc7z020", "Zynq-7000 XC7Z020",
            new Resources(53_200, 106_400, 220, 140));
    /** Zynq UltraScale+ ZU3EG (e.g. Ultra96): 70,560 LUT, 141,120 FF, 360 DSP48E2, 216 RAMB36. */
    public static final DeviceBudget XCZU3EG = new DeviceBudget("xczu3eg", "Zynq UltraScale+ XCZU3EG",
            new Resources(70_560, 141_120, 360, 216));

    public static final List<DeviceBudget> PRESETS = List.of(XC7Z020, XCZU3EG);

    public static DeviceBudget preset(String name) {
        return PRESETS.stream().filter(d -> d.name.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device '" + name + "'; devices: "
                        + PRESETS.stream().map(DeviceBudget::name).toList()));
    }

    /**
     * Whether {@code r} fits with {@code margin} (e.g. 0.10) left free of the estimated logic: LUTs and flip-flops
     * must stay below {@code (1 − margin)} of the device (the model's error and what placement and routing add);
     * DSPs and block RAMs are counted exactly by the model (one DSP per multiplier, whole memory blocks), so they
     * may use the whole device.
     */
    public boolean fits(Resources r, double margin) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be in [0, 1): " + margin);
        }
        return r.luts() <= (1 - margin) * resources.luts() && r.flipFlops() <= (1 - margin) * resources.flipFlops()
                && r.dsps() <= resources.dsps() && r.bram36() <= resources.bram36();
    }

    /** The largest of the four utilizations, as a fraction. */
    public double maxUtilization(Resources r) {
        return Math.max(Math.max((double) r.luts() / resources.luts(), (double) r.flipFlops() / resources.flipFlops()),
                Math.max((double) r.dsps() / resources.dsps(), r.bram36() / resources.bram36()));
    }

    public String utilization(Resources r) {
        return String.format(Locale.ROOT, "LUT %.0f %%, FF %.0f %%, DSP %.0f %%, BRAM %.0f %%",
                100.0 * r.luts() / resources.luts(), 100.0 * r.flipFlops() / resources.flipFlops(),
                100.0 * r.dsps() / resources.dsps(), 100.0 * r.bram36() / resources.bram36());
    }
}
