package io.lowbit.rtl.synth;

import io.lowbit.rtl.GeneratedRtl;
import io.lowbit.rtl.RtlGenerator;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.ExternalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthesizes the conv unit ({@code lowbit_conv_unit}: RCAs, decoders, adder trees, psum banks, requantizers), the
 * pool unit or the whole accelerator ({@code lowbit_accel}) of a configuration with Yosys
 * {@code synth_xilinx -family xc7 -flatten -noiopad} (optionally {@code -nodsp}) and parses the resources. With
 * {@code dsp = true} every {@code *} of the Verilog may become DSP48E1s; a configuration with
 * {@code multipliers: lut} ({@link RtlParameters#lutMultipliers()}) has its PE / codebook products written as LUT
 * logic, so only the pool unit's requantizer products and the address products take DSPs, as the paper's design
 * (Yosys 0.23 has no per-multiplier attribute that keeps a {@code *} out of a DSP). The paper preset takes minutes
 * (conv unit about 220 s, whole accelerator 260 s to 16 min of Yosys on the shared 2 cores, docs/rtl.md §4);
 * tests synthesize small {@code po × pi} instances.
 */
public final class YosysSynth {

    public static final String CONV_UNIT = "lowbit_conv_unit";
    public static final String POOL_UNIT = "lowbit_pool_unit";
    public static final String ACCELERATOR = "lowbit_accel";
    private static final Pattern ARRIVAL = Pattern.compile("Latest arrival time in '[^']*' is (\\d+)");
    private static final List<String> CONV_UNIT_FILES = List.of("lowbit_weight_decoder.v", "lowbit_shared_mul.v",
            "lowbit_level_products.v", "lowbit_pe.v", "lowbit_shift_requant.v", "lowbit_adder_tree.v",
            "lowbit_delay.v", "lowbit_rca.v", "lowbit_chain.v", "lowbit_conv_module.v", "lowbit_conv_unit.v");

    private final ExternalTool yosys;

    public YosysSynth(ExternalTool yosys) {
        this.yosys = yosys;
    }

    public static YosysSynth onPath() {
        return new YosysSynth(ExternalTool.require("yosys"));
    }

    /** The conv unit of {@code p}, in {@code workDir}; {@code dsp = false} maps multipliers to LUTs. */
    public SynthReport synthesizeConvUnit(RtlParameters p, boolean dsp, Path workDir) {
        String chparams = " -chparam PO " + p.po() + " -chparam PI " + p.pi()
                + " -chparam PES " + p.pes() + " -chparam AW " + p.activationBits() + " -chparam WW "
                + p.weightBits() + " -chparam IB " + p.indexBits() + " -chparam ACCW " + p.accumulatorBits()
                + " -chparam RQ " + p.requantizers() + " -chparam PSUM_ENTRIES " + p.psumEntries()
                + " -chparam MUL_PE " + (p.multiplierPes() ? 1 : 0) + " -chparam PACK " + p.pack()
                + " -chparam LUT_MUL " + (p.lutMultipliers() ? 1 : 0);
        return synthesize(p, CONV_UNIT, CONV_UNIT_FILES, chparams, dsp, workDir);
    }

    /**
     * The pool unit alone ({@code lowbit_pool_unit}: address walk, {@code PI} compare/add lanes with their
     * multiplier requantizers; not the feature-map memories) with {@code sumBits}-bit window sums (32 = the
     * spec's int32 bound; a configuration's largest window needs fewer).
     */
    public SynthReport synthesizePoolUnit(RtlParameters p, int sumBits, boolean dsp, Path workDir) {
        String chparams = " -chparam PI " + p.pi() + " -chparam AW " + p.activationBits() + " -chparam SW "
                + sumBits + " -chparam LB " + p.fmBankBits() + " -chparam BA_W " + p.fmBankAddressBits();
        return synthesize(p, POOL_UNIT, List.of(RtlGenerator.POOL_UNIT_FILE), chparams, dsp, workDir);
    }

    /**
     * The whole accelerator: the generated {@code lowbit_accel} (its parameters from {@code lowbit_params.vh}) with
     * the sequencer, DMA engine, controller, conv unit, feature-map writer, pool unit and every memory at the depths
     * of {@code p}. Besides the resources: the block RAM per memory group ({@link BramBreakdown}) and Yosys
     * {@code sta}'s latest arrival time on the mapped netlist (logic only, see {@link SynthReport}).
     */
    public SynthReport synthesizeAccelerator(RtlParameters p, boolean dsp, Path workDir) {
        workDir = workDir.toAbsolutePath();
        GeneratedRtl rtl = RtlGenerator.generate(p, workDir.resolve("rtl"));
        List<String> sources = new ArrayList<>(RtlGenerator.MODULES);
        sources.add(rtl.top().getFileName().toString());
        String extra = "tee -q -o ramb36.txt select -list t:RAMB36E1\n"
                + "tee -q -o ramb18.txt select -list t:RAMB18E1\n"
                // the cell delays: the specify blocks of the 7-series simulation models
                + "read_verilog -lib -specify +/xilinx/cells_sim.v\n"
                + "tee -q -o sta.txt sta\n";
        SynthReport r = synthesize(p, ACCELERATOR, rtl, sources, "", dsp, workDir, extra);
        try {
            Map<String, Double> byMemory = BramBreakdown.of(Files.readString(workDir.resolve("ramb36.txt")),
                    Files.readString(workDir.resolve("ramb18.txt")));
            return r.withMemoriesAndTiming(byMemory, arrivalNs(Files.readString(workDir.resolve("sta.txt"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest arrival time of {@code sta} in ns, or {@code null} when it reported none. */
    static Double arrivalNs(String sta) {
        Matcher m = ARRIVAL.matcher(sta);
        return m.find() ? Long.parseLong(m.group(1)) / 1000.0 : null;
    }

    private SynthReport synthesize(RtlParameters p, String top, List<String> sources, String chparams, boolean dsp,
            Path workDir) {
        workDir = workDir.toAbsolutePath(); // Yosys runs in workDir, so a relative script path would not resolve
        return synthesize(p, top, RtlGenerator.generate(p, workDir.resolve("rtl")), sources, chparams, dsp, workDir,
                "");
    }

    private SynthReport synthesize(RtlParameters p, String top, GeneratedRtl rtl, List<String> sources,
            String chparams, boolean dsp, Path workDir, String extra) {
        try {
            String family = "xc7";
            StringBuilder files = new StringBuilder();
            for (String f : sources) {
                files.append(' ').append(rtl.directory().resolve(f));
            }
            String script = "read_verilog -DSYNTHESIS -I " + rtl.directory() + files + "\n"
                    + "hierarchy " + (chparams.isEmpty() ? "-check " : "") + "-top " + top + chparams + "\n"
                    + "synth_xilinx -family " + family + " -top " + top + " -flatten -noiopad"
                    + (dsp ? "" : " -nodsp") + "\n"
                    + "tee -o stat.txt stat\n"
                    + extra;
            Path ys = workDir.resolve("synth.ys");
            Files.writeString(ys, script);
            ExternalTool.Run run = yosys.run(List.of("-q", "-l", "yosys.log", ys.toString()), workDir,
                    workDir.resolve("yosys.out"), 7200);
            if (run.exitCode() != 0) {
                throw new IllegalStateException("yosys failed (exit " + run.exitCode() + "), see "
                        + workDir.resolve("yosys.log"));
            }
            String stat = Files.readString(workDir.resolve("stat.txt"));
            boolean pool = top.equals(POOL_UNIT);
            return YosysStat.report(stat, top, family, dsp, pool ? 0 : p.po(), p.pi(), pool ? 0 : p.pes(),
                    run.millis() / 1000.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
