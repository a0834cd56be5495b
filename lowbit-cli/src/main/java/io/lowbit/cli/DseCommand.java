package io.lowbit.cli;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import io.lowbit.accel.dse.DesignPoint;
import io.lowbit.accel.dse.DesignSpace;
import io.lowbit.accel.dse.DesignSpaceExplorer;
import io.lowbit.accel.resource.DeviceBudget;
import io.lowbit.accel.resource.ResourceModel;
import io.lowbit.accel.resource.ResourceTerm;
import io.lowbit.accel.resource.Resources;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.cosim.NetworkImages;
import io.lowbit.rtl.synth.SynthReport;
import io.lowbit.rtl.synth.YosysSynth;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lowbit dse}: design-space exploration of the accelerator for one model and one device. */
@Command(name = "dse", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Design-space exploration: enumerate accelerator configurations around a base design, estimate "
                + "each one's resources with the Yosys-calibrated resource model, time each with the cycle "
                + "simulator's schedule (cycles do not depend on weights or images), check the device budget with a "
                + "margin, and report the Pareto front of the fitting designs (GOP/s vs LUT). With --synth-best, synthesize the fastest fitting design with Yosys to check it.",
        footer = {"", "Examples:",
            "  lowbit dse model.lbq --device xc7z020 --clock 111 --out-dir runs/dse",
            "  lowbit dse --random nin --po 1..8 --pi 1..16 --pes 9,18,25 --synth-best --out-dir runs/dse",
            "", "Resource model and method: docs/accelerator.md §6."})
final class DseCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "An .lbq integer model file")
    Path modelFile;

    @Option(names = "--random", paramLabel = "nin|vgg7", description = "Instead of MODEL: a random network of this "
            + "architecture (cycles do not depend on the weights)")
    String randomArch;

    @Option(names = "--width", defaultValue = "1.0", description = "Width multiplier of --random (default: 1.0)")
    double width;

    @Option(names = "--device", defaultValue = "xc7z020", paramLabel = "xc7z020|xczu3eg",
            description = "Device budget (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--clock", paramLabel = "MHZ", description = "Clock (default: the base design's)")
    Double clockMHz;

    @Option(names = "--base", defaultValue = "pynq-z2-clipq", paramLabel = "PRESET|FILE",
            description = "Base and reference design: widths, decoder, DMA, feature-map and weight buffers "
                    + "(default: ${DEFAULT-VALUE})")
    String base;

    @Option(names = "--po", defaultValue = "1..8", description = "Conv modules (default: ${DEFAULT-VALUE})")
    String po;

    @Option(names = "--pi", defaultValue = "1,2,3,4,6,8,12,16",
            description = "RCAs per module (default: ${DEFAULT-VALUE})")
    String pi;

    @Option(names = "--pes", defaultValue = "9,18,25",
            description = "PEs per RCA, i.e. the RCA style: 9 = one 3×3 kernel, 18 = two, 25 = 5×5 (default: "
                    + "${DEFAULT-VALUE})")
    String pes;

    @Option(names = "--requantizers", defaultValue = "1,2,3,5,9",
            description = "Requantizers per module, those ≤ PEs (default: ${DEFAULT-VALUE})")
    String requantizers;

    @Option(names = "--dataflow", defaultValue = "strip", split = ",", paramLabel = "strip|line-buffer",
            description = "Dataflows; line-buffer designs have no RTL, so their resources are extrapolated and they "
                    + "are never synthesized (default: ${DEFAULT-VALUE})")
    List<String> dataflows;

    @Option(names = "--multipliers", defaultValue = "dsp,lut", split = ",", paramLabel = "dsp|lut|dsp-packed",
            description = "Multipliers in DSP slices, LUTs and/or DSP slices with several products each "
                    + "(default: ${DEFAULT-VALUE})")
    List<String> multipliers;

    @Option(names = "--pe-style", defaultValue = "codebook-select", split = ",",
            paramLabel = "codebook-select|multiplier", description = "PE styles: select one of the shared codebook "
                    + "products, or the paper's multiplier per PE (default: ${DEFAULT-VALUE})")
    List<String> peStyles;

    @Option(names = "--psum-kib", defaultValue = "16", description = "Psum buffer per module in KiB "
            + "(default: ${DEFAULT-VALUE})")
    String psumKib;

    @Option(names = "--margin", defaultValue = "0.10", description = "Fraction of the device's LUTs and FFs kept free "
            + "for the model's error and place-and-route (default: ${DEFAULT-VALUE}); DSPs and BRAMs are counted "
            + "exactly and may be used up")
    double margin;

    @Option(names = "--count-buffers", description = "Also count the feature-map buffers and weight banks (outside "
            + "the synthesized conv unit) against the device's BRAM")
    boolean countBuffers;

    @Option(names = "--realizable", defaultValue = "network", paramLabel = "network|config",
            description = "What \"realizable\" (the RTL column; the best point must be) checks: network = the "
                    + "generated RTL runs the model as a whole network, its program and DRAM image built as `lowbit "
                    + "rtl cosim --network` builds them; config = the RTL generator takes the configuration "
                    + "(default: ${DEFAULT-VALUE})")
    String realizability;

    @Option(names = "--synth-best", description = "Synthesize the best fitting design's conv unit with Yosys")
    boolean synthBest;

    @Option(names = "--synth-reference", description = "Also synthesize the base design's conv unit (its own "
            + "multipliers: LUTs for the paper preset)")
    boolean synthReference;

    @Option(names = "--top", defaultValue = "15", description = "Rows of the printed table (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Write dse.json and pareto.png there")
    Path outDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if ((modelFile == null) == (randomArch == null)) {
            throw new IllegalArgumentException("give either MODEL or --random nin|vgg7");
        }
        IntegerModel model = modelFile != null ? IntegerModelFile.read(modelFile)
                : RandomNetwork.build(randomArch, width, 1);
        DeviceBudget budget = DeviceBudget.preset(device);
        AcceleratorConfig reference = AcceleratorConfigs.resolve(base);
        if (clockMHz != null) {
            reference = reference.withClock(clockMHz);
        }
        DesignSpace space = new DesignSpace(IntRanges.parse("--po", po), IntRanges.parse("--pi", pi),
                IntRanges.parse("--pes", pes), IntRanges.parse("--requantizers", requantizers),
                dataflows.stream().map(DseCommand::dataflow).distinct().toList(),
                peStyles.stream().map(DseCommand::peStyle).distinct().toList(),
                multipliers.stream().map(DseCommand::multipliers).distinct().toList(),
                IntRanges.parse("--psum-kib", psumKib).stream().map(k -> k * 1024).toList());
        List<AcceleratorConfig> candidates = space.candidates(reference);
        RtlRealizability rtl = realizability(realizability, model);
        // the explorer checks every candidate's configuration; the whole-network check (building the program and
        // DRAM images, ~50 ms) is made afterwards, fastest first, only for the points the table and the choice need
        DesignSpaceExplorer explorer = new DesignSpaceExplorer(model, budget, margin, countBuffers,
                ResourceModel.CALIBRATED, rtl::configurationRealizable);
        System.out.printf(Locale.ROOT, "%s on %s (%s), %.1f MHz: %d candidates, margin %.0f %% of LUT/FF%s%n",
                model.metadata().name(), budget.name(), budget.resources(), reference.clockMHz(), candidates.size(),
                100 * margin, countBuffers ? ", buffers counted" : "");
        DesignPoint ref = rtl.confirm(explorer.evaluate(reference));
        int[] done = {0};
        int step = Math.max(1, candidates.size() / 20);
        List<DesignPoint> points = explorer.explore(candidates, p -> {
            done[0]++;
            if (done[0] % step == 0 || done[0] == candidates.size()) {
                System.out.printf(Locale.ROOT, "  %d/%d evaluated (%.0f s)%n", done[0], candidates.size(),
                        (System.nanoTime() - t0) / 1e9);
            }
        });
        points = rtl.confirmFastest(points, top);
        Optional<DesignPoint> best = DesignSpaceExplorer.best(points);
        printTable(points, ref, best.orElse(null), budget, rtl);

        Map<String, Object> synth = new LinkedHashMap<>();
        if (synthBest && best.isPresent()) {
            synth.put("best", synthesize(best.get(), budget));
        }
        if (synthReference) {
            synth.put("reference", synthesize(ref, budget));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (outDir != null) {
            Files.createDirectories(outDir);
            Map<String, Object> report = report(model, budget, space, candidates.size(), ref, best.orElse(null),
                    points, synth, seconds);
            CheckpointFile.writeAtomically(outDir.resolve("dse.json"), Json.MAPPER.writeValueAsBytes(report));
            DseChart.write(points, ref, best.orElse(null), budget, margin, model.metadata().name(),
                    outDir.resolve("pareto.png"));
            System.out.println("wrote " + outDir.resolve("dse.json") + ", " + outDir.resolve("pareto.png"));
        }
        System.out.printf(Locale.ROOT, "wall time %.0f s%n", seconds);
        return best.isPresent() ? 0 : 1;
    }

    private static Dataflow dataflow(String s) {
        return switch (s.trim()) {
            case "strip" -> Dataflow.STRIP;
            case "line-buffer" -> Dataflow.LINE_BUFFER;
            default -> throw new IllegalArgumentException("--dataflow: strip or line-buffer, got '" + s + "'");
        };
    }

    private static Multipliers multipliers(String s) {
        return switch (s.trim()) {
            case "dsp" -> Multipliers.DSP;
            case "lut" -> Multipliers.LUT;
            case "dsp-packed" -> Multipliers.DSP_PACKED;
            default -> throw new IllegalArgumentException("--multipliers: dsp, lut or dsp-packed, got '" + s + "'");
        };
    }

    private static PeStyle peStyle(String s) {
        return switch (s.trim()) {
            case "codebook-select" -> PeStyle.CODEBOOK_SELECT;
            case "multiplier" -> PeStyle.MULTIPLIER;
            default -> throw new IllegalArgumentException("--pe-style: codebook-select or multiplier, got '" + s
                    + "'");
        };
    }

    private static RtlRealizability realizability(String level, IntegerModel model) {
        return switch (level.trim()) {
            case "network" -> new RtlRealizability(model);
            case "config" -> new RtlRealizability(null);
            default -> throw new IllegalArgumentException("--realizable: network or config, got '" + level + "'");
        };
    }

    /**
     * Whether the RTL generator takes a configuration (strip dataflow, codebook, PE count vs adder tree...) and,
     * given a model, whether the generated RTL runs it as a whole network ({@code lowbit rtl cosim --network}): its
     * compiled program and DRAM image are built as that run builds them, which refuses, naming the layer, what the
     * generated hardware cannot do (a weight tile larger than its bank in the RTL's padded layout, a field too narrow
     * for an address, a map in DRAM the RTL does not stage). The images need the integer engine's values of one
     * input; a blank image does. Remembers why each refused design was refused.
     */
    static final class RtlRealizability {

        private final IntegerModel model;
        private final Map<String, int[]> values = new HashMap<>();
        private final Map<String, String> reasons = new ConcurrentHashMap<>();

        /** {@code model} null: the configuration check only. */
        RtlRealizability(IntegerModel model) {
            this.model = model;
            if (model != null) {
                byte[] blank = new byte[model.inputNode().output().shape().elementCount()];
                new FastEngine(1).run(model, blank, (node, output) -> values.put(node.id(), output.toArray()));
            }
        }

        boolean configurationRealizable(AcceleratorConfig c) {
            try {
                RtlParameters.of(c);
                return true;
            } catch (IllegalArgumentException e) {
                reasons.put(c.name(), e.getMessage());
                return false;
            }
        }

        /** The model as a whole network on the generated RTL (the configuration already passed). */
        boolean networkRealizable(AcceleratorConfig c) {
            try {
                new NetworkImages(RtlParameters.of(c), new AcceleratorCompiler(c).compile(model), model, values);
                return true;
            } catch (IllegalArgumentException e) {
                reasons.put(c.name(), e.getMessage());
                return false;
            }
        }

        /**
         * With a model: the fitting, simulated, configuration-realizable points checked as a whole network, fastest
         * first, until the first {@code rows} of the table and one realizable point (the best) are decided; points
         * the check refuses become unrealizable. The other points keep the configuration check alone.
         */
        List<DesignPoint> confirmFastest(List<DesignPoint> points, int rows) {
            if (model == null) {
                return points;
            }
            List<DesignPoint> out = new ArrayList<>(points);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                DesignPoint p = out.get(i);
                if (p.fits() && p.simulated() && p.realizable()) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparingDouble((Integer i) -> out.get(i).gops()).reversed());
            boolean found = false;
            for (int k = 0; k < order.size() && (!found || k < rows); k++) {
                int i = order.get(k);
                boolean ok = networkRealizable(out.get(i).config());
                out.set(i, out.get(i).withRealizable(ok));
                found |= ok;
            }
            return out;
        }

        /** {@code p} checked as a whole network (with a model, when its configuration passed). */
        DesignPoint confirm(DesignPoint p) {
            return model == null || !p.realizable() ? p : p.withRealizable(networkRealizable(p.config()));
        }

        /** Why {@code design} was refused, or null. */
        String reason(String design) {
            return reasons.get(design);
        }
    }

    private Map<String, Object> synthesize(DesignPoint p, DeviceBudget budget) throws Exception {
        Path work = outDir != null ? outDir.resolve("synth-" + p.name()) : Files.createTempDirectory("lowbit-dse");
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "synthesizing %s (%s PEs, %s multipliers) with Yosys in %s ...%n", p.name(),
                p.config().peStyle().name().toLowerCase(Locale.ROOT), p.config().multipliers().name()
                        .toLowerCase(Locale.ROOT), work);
        // DSP48E1s allowed, as `lowbit rtl synth` without --nodsp and as the calibration samples were synthesized:
        // a "lut" point writes its codebook products as LUT (Booth) logic in the Verilog (RtlParameters.lutMultipliers)
        // and the conv unit has no other multiplier, so it maps to no DSP without -nodsp
        SynthReport r = YosysSynth.onPath().synthesizeConvUnit(RtlParameters.of(p.config()), true, work);
        // LUT RAM cells (RAM64M/RAM32M) take 4 LUTs each, shift registers one
        Resources measured = new Resources(r.luts() + 4 * r.lutrams() + r.srls(), r.flipFlops(), r.dsps(),
                r.bram36());
        Resources est = p.estimate().convUnitTotal();
        Resources checked = countBuffers ? measured.plus(p.estimate().buffers()) : measured;
        boolean fits = budget.fits(checked, 0);
        System.out.println("  " + r.summary());
        System.out.printf(Locale.ROOT, "  estimate %s; measured %s (LUT %+.1f %%, FF %+.1f %%); %s the %s (%s)%n",
                est, measured, pct(est.luts(), measured.luts()), pct(est.flipFlops(), measured.flipFlops()),
                fits ? "fits" : "does NOT fit", budget.name(), budget.utilization(checked));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("design", p.name());
        m.put("estimate", est);
        m.put("measured", measured);
        m.put("lutError", (double) (est.luts() - measured.luts()) / measured.luts());
        m.put("ffError", (double) (est.flipFlops() - measured.flipFlops()) / measured.flipFlops());
        m.put("fitsDevice", fits);
        m.put("yosys", r);
        return m;
    }

    private static double pct(long est, long measured) {
        return 100.0 * (est - measured) / measured;
    }

    private void printTable(List<DesignPoint> points, DesignPoint ref, DesignPoint best, DeviceBudget budget,
            RtlRealizability rtl) {
        long fitting = points.stream().filter(DesignPoint::fits).count();
        long pareto = points.stream().filter(DesignPoint::pareto).count();
        System.out.printf(Locale.ROOT, "%d of %d fit; %d on the Pareto front (GOP/s vs LUT)%n", fitting,
                points.size(), pareto);
        List<DesignPoint> rows = new ArrayList<>();
        rows.add(ref);
        points.stream().filter(p -> p.fits() && p.simulated())
                .sorted(Comparator.comparingDouble(DesignPoint::gops).reversed()).limit(top).forEach(rows::add);
        System.out.printf(Locale.ROOT, "%-34s %4s %8s %8s %5s %7s %10s %8s %7s %7s%n", "design", "RTL", "LUT", "FF",
                "DSP", "BRAM36", "cycles", "GOP/s", "fps", "× ref");
        for (DesignPoint p : rows) {
            Resources r = p.checked();
            System.out.printf(Locale.ROOT, "%-34s %4s %,8d %,8d %5d %7.1f %,10d %8.1f %7.1f %7.2f%s%n",
                    p == ref ? p.name() + " (ref)" : p.name(), p.realizable() ? "yes" : "no", r.luts(),
                    r.flipFlops(), r.dsps(), r.bram36(), p.cycles(), p.gops(), p.framesPerSecond(),
                    p.gops() / ref.gops(), p == best ? "  <- best" : p.pareto() ? "  pareto" : "");
        }
        // why the fastest refused designs are refused (one design per distinct reason): what the RTL would have to do
        Map<String, String> firstByReason = new LinkedHashMap<>();
        rows.stream().filter(p -> !p.realizable() && rtl.reason(p.name()) != null)
                .forEach(p -> firstByReason.putIfAbsent(rtl.reason(p.name()), p.name()));
        firstByReason.entrySet().stream().limit(3).forEach(e ->
                System.out.println("not realizable: " + e.getValue() + ": " + e.getKey()));
        if (best != null) {
            System.out.printf(Locale.ROOT, "best: %s, %.1f GOP/s = %.2f× %s; estimate %s (%s)%n", best.name(),
                    best.gops(), best.gops() / ref.gops(), ref.name(), best.checked(),
                    budget.utilization(best.checked()));
        } else {
            System.out.println("no fitting, realizable design in the space");
        }
    }

    private Map<String, Object> report(IntegerModel model, DeviceBudget budget, DesignSpace space, int candidates,
            DesignPoint ref, DesignPoint best, List<DesignPoint> points, Map<String, Object> synth, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", CommandLines.current(spec));
        r.put("model", modelFile != null ? modelFile.toString() : "random " + randomArch + " width " + width);
        r.put("modelName", model.metadata().name());
        r.put("device", budget);
        r.put("clockMHz", ref.config().clockMHz());
        r.put("margin", margin);
        r.put("countBuffers", countBuffers);
        r.put("realizable", realizability.trim());
        r.put("budgetRule", "fits iff estimated LUT and FF ≤ (1 − margin)·device and DSP, BRAM36 ≤ device; the conv "
                + "unit" + (countBuffers ? " plus feature-map buffers and weight banks" : " only (what Yosys "
                + "synthesizes)"));
        r.put("opCounting", "1 MAC = 2 ops; MACs of convolutions and linear layers, padding included");
        r.put("space", space);
        r.put("candidates", candidates);
        r.put("resourceModel", Map.of("features", ResourceModel.FEATURES,
                "lutCoefficients", Arrays.stream(ResourceModel.CALIBRATED.lut()).boxed().toList(),
                "ffCoefficients", Arrays.stream(ResourceModel.CALIBRATED.ff()).boxed().toList()));
        r.put("reference", point(ref, ref, true));
        r.put("best", best != null ? point(best, ref, true) : null);
        r.put("synthesis", synth);
        r.put("wallSeconds", seconds);
        r.put("points", points.stream().map(p -> point(p, ref, false)).toList());
        return r;
    }

    private static Map<String, Object> point(DesignPoint p, DesignPoint ref, boolean withConfig) {
        AcceleratorConfig c = p.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("convModules", c.convModules());
        m.put("rcasPerModule", c.rcasPerModule());
        m.put("pesPerRca", c.pesPerRca());
        m.put("requantizersPerModule", c.requantizersPerModule());
        m.put("dataflow", c.dataflow());
        m.put("psumBytesPerModule", c.buffers().psumBytesPerModule());
        m.put("peStyle", c.peStyle());
        m.put("multipliers", c.multipliers());
        m.put("dspMultipliers", p.dsp());
        m.put("realizable", p.realizable());
        m.put("resources", p.checked());
        m.put("calibrated", p.estimate().calibrated());
        Map<String, Object> terms = new LinkedHashMap<>();
        for (ResourceTerm t : p.estimate().convUnit()) {
            terms.put(t.component(), t.resources());
        }
        m.put("terms", terms);
        m.put("fits", p.fits());
        m.put("cycles", p.cycles());
        m.put("gops", p.gops());
        m.put("framesPerSecond", p.framesPerSecond());
        m.put("speedup", p.simulated() && ref.simulated() ? p.gops() / ref.gops() : null);
        m.put("pareto", p.pareto());
        if (p.error() != null) {
            m.put("error", p.error());
        }
        if (withConfig) {
            m.put("config", c);
        }
        return m;
    }
}
