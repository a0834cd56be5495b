package io.lowbit.cli;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.cosim.CosimResult;
import io.lowbit.rtl.cosim.LayerCosim;
import io.lowbit.rtl.cosim.NetworkCosim;
import io.lowbit.rtl.cosim.NetworkCosimResult;
import io.lowbit.rtl.cosim.PoolCosim;
import io.lowbit.rtl.sim.Verilator;
import io.lowbit.rtl.synth.SynthReport;
import io.lowbit.rtl.synth.YosysSynth;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit rtl}: the accelerator's Verilog, co-simulated with Verilator and synthesized with Yosys. */
@Command(name = "rtl", mixinStandardHelpOptions = true, description = "The accelerator's RTL (docs/rtl.md).",
        subcommands = {RtlCommand.Cosim.class, RtlCommand.Synth.class})
final class RtlCommand {

    /** {@code lowbit rtl cosim}: conv and pool layers of a real model on a real image through the Verilator model. */
    @Command(name = "cosim", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run conv and pool layers of an integer model on CIFAR test images through the generated "
                    + "Verilog (Verilator; conv layers on the accelerator, pools on the pool unit) and compare every "
                    + "output with the integer engine (bit-exact) and the cycle count with the simulator "
                    + "(docs/rtl.md §3, §5); with --network the whole network in one simulation (the layer "
                    + "sequencer runs the compiled program). Exit code 1 on any mismatch.",
            footer = {"", "Examples:",
                "  lowbit rtl cosim model.lbq --layers conv1,conv2,pool1 --data-dir ../shared/data",
                "  lowbit rtl cosim model.lbq --network --data-dir ../shared/data"})
    static final class Cosim implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "MODEL", description = "An .lbq integer model file")
        Path modelFile;

        @Option(names = "--accel", defaultValue = "pynq-z2-clipq", paramLabel = "PRESET|FILE",
                description = "Accelerator configuration (default: ${DEFAULT-VALUE})")
        String accel;

        @Option(names = "--layers", split = ",", description = "Conv or pool layers to co-simulate (default: the first"
                + " conv)")
        List<String> layers;

        @Option(names = "--network", description = "Run the whole network in one simulation: every layer's output "
                + "and the network output against the integer engine, every layer's cycles and the total against "
                + "the model")
        boolean network;

        @Option(names = "--image", defaultValue = "0", description = "Index of the test image (default: 0)")
        int image;

        @Option(names = "--dataset", defaultValue = "cifar10", description = "Dataset of the test image")
        String dataset;

        @Mixin
        DataOptions data;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Memory images and logs (default: a temp dir)")
        Path workDir;

        @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the results as JSON")
        Path jsonOut;

        @Override
        public Integer call() throws Exception {
            AcceleratorConfig config = AcceleratorConfigs.resolve(accel);
            IntegerModel model = IntegerModelFile.read(modelFile);
            List<String> ids = layers != null ? layers : model.nodes().stream()
                    .filter(n -> n.op() instanceof Conv2d).map(Node::id).limit(1).toList();
            LabeledImages test = CifarDataset.load(DatasetName.parse(dataset), LabelKind.FINE, data.root(),
                    !data.noDownload).test();
            if (image < 0 || image >= test.size()) {
                throw new IllegalArgumentException("--image " + image + " is outside the " + test.size()
                        + " test images");
            }
            byte[] pixels = Arrays.copyOfRange(test.pixels(), image * LabeledImages.IMAGE_BYTES,
                    (image + 1) * LabeledImages.IMAGE_BYTES);
            Path work = workDir != null ? workDir : Files.createTempDirectory("lowbit-cosim");
            Verilator verilator = Verilator.onPath(Verilator.defaultCache());
            if (network) {
                if (layers != null) {
                    throw new IllegalArgumentException("--network runs every layer: drop --layers");
                }
                System.out.println("co-simulating the whole network (the first Verilator build of a configuration"
                        + " takes about a minute; later ones come from " + Verilator.defaultCache() + ")");
                NetworkCosimResult r = new NetworkCosim(config, verilator, work).run(model, pixels);
                System.out.println(r.summary());
                System.out.println(r.bitExact() ? "  bit-exact with the integer engine (every layer and the output)"
                        : "  NOT bit-exact");
                System.out.println(r.cyclesAsModelled() ? "  cycles as modelled (docs/rtl.md §3)"
                        : "  cycles differ from the model");
                if (jsonOut != null) {
                    CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(r));
                }
                return r.bitExact() && r.cyclesAsModelled() ? 0 : 1;
            }
            LayerCosim cosim = new LayerCosim(config, verilator, work);
            PoolCosim pools = new PoolCosim(config, verilator, work);
            boolean ok = true;
            List<CosimResult> results = new ArrayList<>();
            for (String id : ids) {
                System.out.println("co-simulating " + id + " (the first Verilator build of a configuration takes about"
                        + " a minute; later ones come from " + Verilator.defaultCache() + ")");
                CosimResult r = PoolCosim.isPool(model.node(id)) ? pools.run(model, id, pixels)
                        : cosim.run(model, id, pixels);
                results.add(r);
                System.out.println(r.summary());
                System.out.println(r.bitExact() ? "  bit-exact with the integer engine" : "  NOT bit-exact");
                System.out.println(r.cyclesAsModelled() ? "  cycles as modelled (docs/rtl.md §3)"
                        : "  cycles differ from the model");
                ok &= r.bitExact() && r.cyclesAsModelled();
            }
            if (jsonOut != null) {
                CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(results));
            }
            return ok ? 0 : 1;
        }
    }

    /** {@code lowbit rtl synth}: Yosys synthesis of the conv unit or the whole accelerator for the Xilinx 7-series. */
    @Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Synthesize the conv unit (or with --whole the whole accelerator) of an accelerator "
                    + "configuration with Yosys (synth_xilinx -family xc7) and report LUT, FF, DSP, BRAM and LUTRAM "
                    + "beside the XC7Z020's capacity and the paper's Table 5. The full 400-PE unit takes long; "
                    + "--po/--pi synthesize a smaller instance.",
            footer = {"", "Examples:", "  lowbit rtl synth --po 1 --pi 1 --nodsp --json-out synth.json",
                    "  lowbit rtl synth --whole --json-out synth-whole.json"})
    static final class Synth implements Callable<Integer> {

        @Option(names = "--accel", defaultValue = "pynq-z2-clipq", paramLabel = "PRESET|FILE",
                description = "Accelerator configuration (default: ${DEFAULT-VALUE})")
        String accel;

        @Option(names = "--po", description = "Conv modules of the synthesized instance (default: the configuration's)")
        Integer po;

        @Option(names = "--pi", description = "RCAs per module of the synthesized instance (default: the configuration's)")
        Integer pi;

        @Option(names = "--nodsp", description = "Every multiplier in LUTs (synth_xilinx -nodsp), also the pool "
                + "unit's requantizer and the address products. Without it a \"multipliers\": \"lut\" configuration"
                + " (the paper preset) has its PE / codebook products written as LUT logic in the Verilog and the"
                + " rest may use DSP48E1s (as the paper's 5 DSPs)")
        boolean nodsp;

        @Option(names = "--whole", description = "Synthesize the whole accelerator (lowbit_accel: sequencer, DMA,"
                + " controller, conv and pool units, every memory at the configured depth) instead of the conv unit;"
                + " also reports the block RAM per memory and Yosys sta's logic-only arrival time")
        boolean whole;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Yosys scripts and logs (default: a temp dir)")
        Path workDir;

        @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the report as JSON")
        Path jsonOut;

        @Override
        public Integer call() throws Exception {
            AcceleratorConfig config = AcceleratorConfigs.resolve(accel);
            RtlParameters p = RtlParameters.of(config);
            if (po != null || pi != null) {
                p = p.withParallelism(po != null ? po : p.po(), pi != null ? pi : p.pi());
            }
            Path work = workDir != null ? workDir : Files.createTempDirectory("lowbit-synth");
            // DSP48E1s are allowed unless --nodsp; a "lut" configuration keeps its PE / codebook products out of
            // them in the Verilog itself (RtlParameters.lutMultipliers), so only the other multipliers use DSPs
            boolean dsp = !nodsp;
            if (!dsp) {
                p = p.withMultipliers(p.multiplierPes(), 1); // a packed product only pays in a DSP slice
            }
            boolean peDsp = dsp && !p.lutMultipliers();
            System.out.printf(java.util.Locale.ROOT, "%s: %s PEs, %s PE/codebook multipliers%s; pool requantizer and"
                    + " address products in %s%n", config.name(),
                    p.multiplierPes() ? "multiplier" : "codebook-select", peDsp ? "DSP" : "LUT",
                    peDsp && p.pack() > 1 ? " (" + p.pack() + " products per DSP48E1)" : "",
                    dsp ? "DSP48E1s" : "LUTs (-nodsp)");
            YosysSynth yosys = YosysSynth.onPath();
            SynthReport r = whole ? yosys.synthesizeAccelerator(p, dsp, work) : yosys.synthesizeConvUnit(p, dsp, work);
            System.out.println(r.summary());
            System.out.println("XC7Z020: 53,200 LUT, 106,400 FF, 220 DSP, 140 BRAM36; paper (whole design): 42,416 LUT,"
                    + " 22,498 FF, 5 DSP, 120 BRAM");
            if (jsonOut != null) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("accelerator", config.name());
                out.put("synthesized", whole ? "whole accelerator (lowbit_accel)" : "conv unit (lowbit_conv_unit)");
                out.put("peStyle", config.peStyle());
                out.put("multipliers", peDsp ? config.multipliers() : "lut");
                out.put("productsPerDsp", peDsp ? p.pack() : 1);
                out.put("nodsp", !dsp);
                out.put("report", r);
                out.put("device", Map.of("part", "XC7Z020", "luts", 53_200, "flipFlops", 106_400, "dsps", 220,
                        "bram36", 140));
                out.put("paper", Map.of("table", "Table 5, whole design", "luts", 42_416, "flipFlops", 22_498,
                        "dsps", 5, "bram", 120));
                if (whole) {
                    out.put("memoryDepths", Map.of("psumEntries", p.psumEntries(), "instructions", p.imemDepth(),
                            "weightWords", p.wmemDepth(), "biasWords", p.bmemDepth(), "featureMapWords", p.fmDepth(),
                            "featureMapBanks", p.fmBanks(), "resultWords", p.resultDepth()));
                    out.put("timing", "logicArrivalNs: Yosys sta on the mapped netlist with the cell delays of"
                            + " cells_sim.v: logic only, no routing, no setup, not an Fmax");
                }
                CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(out));
            }
            return 0;
        }
    }
}
