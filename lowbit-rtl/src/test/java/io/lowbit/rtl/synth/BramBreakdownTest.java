package io.lowbit.rtl.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block RAM cells grouped by the memory Yosys named them after. */
class BramBreakdownTest {

    @Test
    void groupsCellsByMemory() {
        String r36 = """
                lowbit_accel/u_top.g_fmbuf[0].g_fmbank[1].g_fmsub[0].u_ram.mem.0.0
                lowbit_accel/u_top.g_fmbuf[1].g_fmbank[0].g_fmsub[1].u_ram.mem.0.1
                lowbit_accel/u_top.u_conv.g_mod[0].u_mod.g_slot[3].bank.0.0
                lowbit_accel/u_top.imem.1.0
                lowbit_accel/u_top.u_wbank0.mem.0.0
                """;
        String r18 = """
                lowbit_accel/u_top.iseq.0.0
                lowbit_accel/u_top.u_bbank1.mem.0.0
                lowbit_accel/u_top.rmem.0.0
                lowbit_accel/u_top.dqmem.0.0
                """;
        Map<String, Double> m = BramBreakdown.of(r36, r18);
        assertEquals(2.0, m.get("feature-map buffers"));
        assertEquals(1.0, m.get("psum banks"));
        assertEquals(1.5, m.get("instruction memory"));
        assertEquals(1.0, m.get("weight banks"));
        assertEquals(0.5, m.get("bias banks"));
        assertEquals(0.5, m.get("result memory"));
        assertEquals(0.5, m.get("DMA queue"));
    }

    @Test
    void arrivalTimeOfSta() {
        assertEquals(5.023, YosysSynth.arrivalNs("Latest arrival time in 'm' is 5023:\n"), 1e-9);
        assertEquals(null, YosysSynth.arrivalNs("no paths"));
    }
}
