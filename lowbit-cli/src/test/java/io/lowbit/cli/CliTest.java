package io.lowbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.loop.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, messages, and one real train → eval round. */
class CliTest {

    @TempDir
    Path tmp;

    /** Exit code, standard output and standard error of one {@code lowbit} invocation. */
    record Run(int code, String out, String err) {
    }

    static Run lowbit(String... args) {
        StringWriter err = new StringWriter();
        StringWriter picoOut = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var cl = Lowbit.newCommandLine();
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(picoOut, true));
            int code = cl.execute(args);
            return new Run(code, picoOut + out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    static Path sharedData() {
        String dir = System.getenv("LOWBIT_SHARED_DATA");
        boolean present = dir != null && Files.isDirectory(Path.of(dir, "cifar-10-mini"));
        String why = "real CIFAR data not found: set LOWBIT_SHARED_DATA to a folder holding cifar-10-mini/";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
        return Path.of(dir).toAbsolutePath();
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = lowbit("--help");
        assertEquals(0, r.code());
        for (String sub : new String[] {"demo", "train", "eval", "export", "size", "sim", "onnx", "rtl", "dse", "report", "search",
            "bench-train", "bench-engine", "compare", "weights"}) {
            assertTrue(r.out().contains(sub), sub + " missing from:\n" + r.out());
        }
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Run r = lowbit("train", "--model", "alexnet", "--data-dir", tmp.toString(), "--run-dir",
                tmp.resolve("r").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown model 'alexnet'; choose one of [nin, nin-lin, vgg7, mobilenetv2, "
                + "resnet20]"), r.err());
        Run e = lowbit("train", "--epochs", "0", "--run-dir", tmp.resolve("r0").toString());
        assertEquals(2, e.code());
        assertTrue(e.err().contains("--epochs must be ≥ 1"), e.err());
        Run u = lowbit("train", "--epoch", "3");
        assertEquals(2, u.code());
        assertTrue(u.err().contains("Unknown options: '--epoch'") && u.err().contains("Possible solutions: --epochs"), u.err());
        Run resume = lowbit("train", "--resume");
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("--resume needs --run-dir"), resume.err());
    }

    @Test
    void benchEngineTimesBothEnginesAndChecksTheirOutputs() throws Exception {
        Path json = tmp.resolve("bench/engine.json");
        Run r = lowbit("bench-engine", "--width", "0.0625", "--images", "3", "--reference-images", "2", "--threads",
                "2", "--warmup-seconds", "0", "--json-out", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("outputs identical"), r.out());
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertTrue(result.get("outputsIdentical").asBoolean());
        // reference, fast ×2, onnxruntime int, float, qlinear ×2, fast with the axpy convolution ×2
        assertEquals(11, result.get("timings").size());
        assertEquals("fast-axpy", result.get("timings").get(9).get("engine").asText());
        assertTrue(result.get("tiledOverAxpySingleThread").asDouble() > 0, result.toString());
        assertEquals("onnxruntime", result.get("timings").get(3).get("engine").asText());
        assertTrue(result.get("fastOverOnnxruntimeIntBatch64").asDouble() > 0, result.toString());
        assertEquals("reference", result.get("timings").get(0).get("engine").asText());
        assertEquals(2, result.get("timings").get(0).get("images").asInt());
        assertEquals(2, result.get("timings").get(2).get("threads").asInt());
        assertTrue(result.get("speedupSingleThread").asDouble() > 0, result.toString()); // speed: bench/, not tests
        assertTrue(result.get("macsPerImage").asLong() > 0);

        Path model = tmp.resolve("nin.lbq");
        IntegerModelFile.write(RandomNetwork.build(0.0625, 3), model);
        Run file = lowbit("bench-engine", model.toString(), "--images", "2", "--reference-images", "1",
                "--warmup-seconds", "0.1");
        assertEquals(0, file.code(), file.err());
        assertTrue(file.out().startsWith(model.toString()), file.out());

        Run bad = lowbit("bench-engine", "--images", "2", "--reference-images", "3");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("need 1 ≤ --reference-images ≤ --images"), bad.err());
        Run badWarmUp = lowbit("bench-engine", "--warmup-seconds", "NaN");
        assertEquals(2, badWarmUp.code());
        assertTrue(badWarmUp.err().contains("--warmup-seconds must be within [0, 600]"), badWarmUp.err());
    }

    @Test
    void onnxExportRunsOnOnnxRuntimeWithIdenticalOutputs() throws Exception {
        Path model = tmp.resolve("nin.lbq");
        IntegerModelFile.write(RandomNetwork.build(0.0625, 5), model);
        Path onnx = tmp.resolve("out/nin.onnx");
        Run export = lowbit("onnx", model.toString(), "-o", onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(Files.size(onnx) > 1000 && export.out().contains("exact form"), export.out());
        for (String form : new String[] {"float", "qlinear"}) {
            Run other = lowbit("onnx", model.toString(), "-o", tmp.resolve(form + ".onnx").toString(), "--form", form);
            assertEquals(0, other.code(), other.err());
        }

        Path json = tmp.resolve("agree.json");
        Run eval = lowbit("eval", "--int", model.toString(), "--engine", "onnxruntime", "--agree-with", "reference",
                "--dataset", "cifar10-mini", "--data-dir", sharedData().toString(), "--test-limit", "20",
                "--json-out", json.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("outputs identical on 20 of 20 images"), eval.out());
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertEquals("onnxruntime", result.get("engine").asText());
        assertEquals(20, result.get("agreement").get("identicalOutputs").asInt());
    }

    @Test
    void missingDataSaysWhichFilesToPutWhere() {
        Run r = lowbit("train", "--dataset", "cifar10", "--data-dir", tmp.toString(), "--no-download",
                "--run-dir", tmp.resolve("run").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(tmp.resolve("cifar-10-batches-bin").toString()), r.err());
        assertTrue(r.err().contains("data_batch_1.bin"), r.err());
        assertTrue(r.err().contains("LOWBIT_DATA"), r.err());
    }

    @Test
    void aTruncatedDataFileIsNamed() throws Exception {
        Path mini = tmp.resolve("data/cifar-10-mini");
        Files.createDirectories(mini);
        Path src = sharedData().resolve("cifar-10-mini");
        Files.copy(src.resolve("data_batch_1.bin"), mini.resolve("data_batch_1.bin"));
        byte[] test = Files.readAllBytes(src.resolve("test_batch.bin"));
        Files.write(mini.resolve("test_batch.bin"), Arrays.copyOf(test, 3073 * 10 + 1000));
        Run r = lowbit("train", "--dataset", "cifar10-mini", "--data-dir", tmp.resolve("data").toString(),
                "--run-dir", tmp.resolve("run").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(mini.resolve("test_batch.bin").toString()), r.err());
        assertTrue(r.err().contains("truncated"), r.err());
    }

    @Test
    void aCorruptCheckpointIsNamed() throws Exception {
        Path f = tmp.resolve("broken.lbck");
        Files.writeString(f, "LOWBITCK but nothing sensible follows this header at all");
        Run r = lowbit("eval", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(f.toString()), r.err());
    }

    @Test
    void failedNewRunLeavesTheDirectoryReusable() throws Exception {
        Path run = tmp.resolve("failed");
        Run bad = lowbit("train", "--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
                "--train-per-class", "5", "--test-limit", "20", "--data-dir", sharedData().toString(), "--run-dir",
                run.toString());
        assertEquals(2, bad.code(), "a usage error");
        assertTrue(bad.err().contains("batch size 128 exceeds the 50 training images"), bad.err());
        Run good = lowbit("train", "--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs",
                "1", "--train-per-class", "5", "--test-limit", "20", "--batch-size", "25", "--data-dir",
                sharedData().toString(), "--run-dir", run.toString());
        assertEquals(0, good.code(), good.err());
        assertTrue(Files.exists(run.resolve("last.lbck")));
    }

    @Test
    void trainThenEvalAgree() throws Exception {
        Path run = tmp.resolve("run");
        Run t = lowbit("train", "--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
                "--train-per-class", "20", "--test-limit", "100", "--batch-size", "50", "--data-dir",
                sharedData().toString(), "--run-dir", run.toString());
        assertEquals(0, t.code(), t.err());
        for (String f : new String[] {"config.json", "last.lbck", "best.lbck", "metrics.csv", "summary.json",
            "curves.png"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        Run e = lowbit("eval", run.resolve("best.lbck").toString(), "--test-limit", "100", "--json",
                "--data-dir", sharedData().toString());
        assertEquals(0, e.code(), e.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode eval = json.readTree(e.out());
        JsonNode summary = json.readTree(run.resolve("summary.json").toFile());
        assertEquals(100, eval.get("images").asInt());
        assertEquals(summary.get("bestTestAccuracy").asDouble(), eval.get("accuracy").asDouble(), 1e-9,
                "eval of best.lbck must reproduce the accuracy training recorded");
        Run again = lowbit("train", "--dataset", "cifar10-mini", "--run-dir", run.toString(), "--data-dir",
                sharedData().toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already holds a run"), again.err());
    }

    @Test
    void quantizedTrainingStartsFromAFloatCheckpoint() throws Exception {
        Path data = sharedData();
        String[] small = {"--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
            "--train-per-class", "20", "--test-limit", "100", "--batch-size", "50", "--data-dir", data.toString()};
        Path fp = tmp.resolve("float");
        assertEquals(0, lowbit(concat(new String[] {"train", "--run-dir", fp.toString()}, small)).code());
        Path q = tmp.resolve("q35");
        Run t = lowbit(concat(new String[] {"train", "--run-dir", q.toString(), "--init",
            fp.resolve("best.lbck").toString(), "--quant", "fixed:fmt=Q3.5", "--lr", "0.01"}, small));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("quantization fixed:fmt=Q3.5"), t.out());
        Run e = lowbit("eval", q.resolve("best.lbck").toString(), "--test-limit", "100", "--json", "--data-dir",
                data.toString());
        assertEquals(0, e.code(), e.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals("fixed:fmt=Q3.5", json.readTree(e.out()).get("quant").asText());
        assertEquals(json.readTree(q.resolve("summary.json").toFile()).get("bestTestAccuracy").asDouble(),
                json.readTree(e.out()).get("accuracy").asDouble(), 1e-9);
        // The trained fixed-point model is its integer model: the engine must give the same accuracy.
        Path lbq = q.resolve("model.lbq");
        Run x = lowbit("export", q.resolve("best.lbck").toString(), "-o", lbq.toString());
        assertEquals(0, x.code(), x.err());
        Run integer = lowbit("eval", "--int", lbq.toString(), "--dataset", "cifar10-mini", "--test-limit", "100",
                "--json", "--data-dir", data.toString());
        assertEquals(0, integer.code(), integer.err());
        assertEquals(json.readTree(e.out()).get("accuracy").asDouble(),
                json.readTree(integer.out()).get("accuracy").asDouble(), 1e-12);
        assertEquals("fast", json.readTree(integer.out()).get("engine").asText());
        Run agree = lowbit("eval", "--int", lbq.toString(), "--agree-with-checkpoint", q.resolve("best.lbck").toString(),
                "--dataset", "cifar10-mini", "--test-limit", "100", "--json", "--data-dir", data.toString());
        assertEquals(0, agree.code(), agree.err());
        JsonNode fq = json.readTree(agree.out()).get("fakeQuant");
        assertEquals(100, fq.get("samePrediction").asInt(), "fixed point: the integer model is the trained one");
        assertEquals(json.readTree(e.out()).get("accuracy").asDouble(), fq.get("accuracy").asDouble(), 1e-12);
        Run golden = lowbit("eval", "--int", lbq.toString(), "--engine", "reference", "--dataset", "cifar10-mini",
                "--test-limit", "100", "--json", "--data-dir", data.toString());
        assertEquals(0, golden.code(), golden.err());
        assertEquals("reference", json.readTree(golden.out()).get("engine").asText());
        assertEquals(json.readTree(integer.out()).get("correct").asInt(),
                json.readTree(golden.out()).get("correct").asInt());
        Path png = q.resolve("weights.png");
        Run w = lowbit("weights", q.resolve("best.lbck").toString(), lbq.toString(), "-o", png.toString());
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("conv9") && Files.size(png) > 0, w.out());
        Run mismatched = lowbit("weights", fp.resolve("best.lbck").toString(), lbq.toString(), "-o", png.toString());
        assertEquals(2, mismatched.code());
        assertTrue(mismatched.err().contains("is a float checkpoint"), mismatched.err());
        Run floatExport = lowbit("export", fp.resolve("best.lbck").toString(), "-o", tmp.resolve("f.lbq").toString());
        assertEquals(2, floatExport.code());
        assertTrue(floatExport.err().contains("float model"), floatExport.err());
        Run ptq = lowbit("eval", fp.resolve("best.lbck").toString(), "--quant", "clipq:p=0.2,b=2,fmt=Q3.5",
                "--test-limit", "100", "--json", "--data-dir", data.toString());
        assertEquals(0, ptq.code(), ptq.err());
        assertTrue(json.readTree(ptq.out()).get("quant").asText().endsWith("(post-training)"), ptq.out());
        Run twice = lowbit("eval", q.resolve("best.lbck").toString(), "--quant", "fixed", "--data-dir",
                data.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("already quantized"), twice.err());
    }

    /** A learned method trains on the integer model's input codes, records that, and eval feeds it the same. */
    @Test
    void aLearnedModelIsEvaluatedOnTheInputCodesItTrainedOn() throws Exception {
        Path data = sharedData();
        String[] small = {"--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
            "--train-per-class", "20", "--test-limit", "100", "--batch-size", "50", "--data-dir", data.toString()};
        Path fp = tmp.resolve("float-for-lsq");
        assertEquals(0, lowbit(concat(new String[] {"train", "--run-dir", fp.toString()}, small)).code());
        Path q = tmp.resolve("lsq");
        Run t = lowbit(concat(new String[] {"train", "--run-dir", q.toString(), "--init",
            fp.resolve("best.lbck").toString(), "--quant", "lsq:w=4,a=4", "--lr", "0.01"}, small));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("network input: InputCodes[int8"), t.out());
        assertTrue(Files.readString(q.resolve("config.json")).contains("\"inputBits\" : 8"));
        Run e = lowbit("eval", q.resolve("best.lbck").toString(), "--test-limit", "100", "--json", "--data-dir",
                data.toString());
        assertEquals(0, e.code(), e.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(q.resolve("summary.json").toFile()).get("bestTestAccuracy").asDouble(),
                json.readTree(e.out()).get("accuracy").asDouble(), 1e-9, "eval must feed the codes training saw");
        Run x = lowbit("export", q.resolve("best.lbck").toString(), "-o", q.resolve("model.lbq").toString());
        assertEquals(0, x.code(), x.err());
        // fewer input bits: trained on, recorded and exported as the integer model's input type
        Path q6 = tmp.resolve("lsq-in6");
        Run t6 = lowbit(concat(new String[] {"train", "--run-dir", q6.toString(), "--init",
            fp.resolve("best.lbck").toString(), "--quant", "lsq:w=4,a=4", "--lr", "0.01", "--input-bits", "6"}, small));
        assertEquals(0, t6.code(), t6.err());
        assertTrue(t6.out().contains("network input: InputCodes[int6"), t6.out());
        assertTrue(Files.readString(q6.resolve("config.json")).contains("\"inputBits\" : 6"));
        Path lbq6 = q6.resolve("model.lbq");
        assertEquals(0, lowbit("export", q6.resolve("best.lbck").toString(), "-o", lbq6.toString()).code());
        assertEquals("int6", IntegerModelFile.read(lbq6).nodes().get(0).output().type().toString());
        Run fixed = lowbit(concat(new String[] {"train", "--run-dir", tmp.resolve("no").toString(), "--quant",
            "fixed:fmt=Q3.5", "--input-bits", "6"}, small));
        assertEquals(2, fixed.code());
        assertTrue(fixed.err().contains("--input-bits applies to a first layer quantized by lsq"), fixed.err());
    }

    /** Train → CLIP-Q QAT → export → simulate on the paper's design: bit-exact, same accuracy as the engine. */
    @Test
    void aTrainedClipQModelSimulatesBitExactly() throws Exception {
        Path data = sharedData();
        String[] small = {"--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
            "--train-per-class", "20", "--test-limit", "100", "--batch-size", "50", "--data-dir", data.toString()};
        Path fp = tmp.resolve("float");
        assertEquals(0, lowbit(concat(new String[] {"train", "--run-dir", fp.toString()}, small)).code());
        Path q = tmp.resolve("clipq");
        Run t = lowbit(concat(new String[] {"train", "--run-dir", q.toString(), "--init",
            fp.resolve("best.lbck").toString(), "--quant", "clipq:p=0.2,b=2,fmt=Q3.5", "--lr", "0.01"}, small));
        assertEquals(0, t.code(), t.err());
        Path lbq = q.resolve("model.lbq");
        assertEquals(0, lowbit("export", q.resolve("best.lbck").toString(), "-o", lbq.toString()).code());
        Path out = tmp.resolve("sim");
        Run sim = lowbit("sim", lbq.toString(), "--accel", "pynq-z2-clipq", "--images", "60", "--dataset",
                "cifar10-mini", "--data-dir", data.toString(), "--out-dir", out.toString(), "--json");
        assertEquals(0, sim.code(), sim.err());
        ObjectMapper json = new ObjectMapper();
        var report = json.readTree(sim.out());
        assertTrue(report.get("check").get("bitExact").asBoolean(), sim.out());
        assertEquals(60, report.get("check").get("images").asInt());
        assertTrue(report.get("total").get("cycles").asLong() > 0);
        assertEquals(report.get("total").get("macs").asLong(), sumOf(report.get("layers"), "macs"));
        assertEquals(report.get("total").get("cycles").asLong(), sumOf(report.get("layers"), "cycles")
                + report.get("total").get("inputLoadCycles").asLong()
                + report.get("total").get("outputStoreCycles").asLong());
        for (String f : new String[] {"sim.json", "sim-layers.png", "program.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        Run integer = lowbit("eval", "--int", lbq.toString(), "--dataset", "cifar10-mini", "--test-limit", "60",
                "--json", "--data-dir", data.toString());
        assertEquals(json.readTree(integer.out()).get("accuracy").asDouble(),
                report.get("check").get("accuracy").asDouble(), 1e-12);

        // A fixed-point export has plain int8 weights: the CLIP-Q design's codebook decoder cannot hold them.
        Path fx = tmp.resolve("fixed");
        assertEquals(0, lowbit(concat(new String[] {"train", "--run-dir", fx.toString(), "--init",
            fp.resolve("best.lbck").toString(), "--quant", "fixed:fmt=Q3.5", "--lr", "0.01"}, small)).code());
        Path fxq = fx.resolve("model.lbq");
        assertEquals(0, lowbit("export", fx.resolve("best.lbck").toString(), "-o", fxq.toString()).code());
        Run refused = lowbit("sim", fxq.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("layer 'conv1'") && refused.err().contains("codebook"), refused.err());
    }

    /** The reduced demo of .ci/run: every step runs, and the report shows the steps' own numbers. */
    @Test
    void theReducedDemoWritesAReportConsistentWithItsSteps() throws Exception {
        Path data = sharedData();
        Path run = tmp.resolve("demo");
        Run demo = lowbit("demo", "--dataset", "cifar10-mini", "--width", "0.0625", "--epochs", "1", "--qat-epochs",
                "1", "--train-per-class", "20", "--test-limit", "60", "--run-dir", run.toString(), "--data-dir",
                data.toString());
        assertEquals(0, demo.code(), demo.err());
        String html = Files.readString(run.resolve("report.html"));
        for (String id : new String[] {"run", "accuracy", "curves", "weights", "size", "accelerator", "rtl",
            "resources", "dse", "commands"}) {
            assertTrue(html.contains("id=\"" + id + "\""), "section " + id);
        }
        assertTrue(!html.contains("class=\"missing\""), "a section is missing its data");
        assertTrue(!html.contains("src=\"http") && !html.contains("<script"), "self-contained");
        ObjectMapper json = new ObjectMapper();
        var floatEval = json.readTree(run.resolve("eval.json").toFile());
        var qatEval = json.readTree(run.resolve("qat/eval.json").toFile());
        var intEval = json.readTree(run.resolve("qat/eval-int.json").toFile());
        var sim = json.readTree(run.resolve("qat/sim/sim.json").toFile());
        for (double acc : new double[] {floatEval.get("accuracy").asDouble(), qatEval.get("accuracy").asDouble(),
            intEval.get("accuracy").asDouble(), sim.get("check").get("accuracy").asDouble()}) {
            assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.2f %%", 100 * acc)), "accuracy " + acc);
        }
        assertEquals(qatEval.get("accuracy").asDouble(), intEval.get("accuracy").asDouble(), 1e-12,
                "the integer engine reproduces the fake-quant model");
        assertTrue(sim.get("check").get("bitExact").asBoolean());
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d", sim.get("total").get("cycles")
                .asLong())), "simulated cycles");
        assertTrue(html.contains("data:image/png;base64,"), "embedded images");
        // RTL steps (.ci/run installs verilator and yosys): the layer is bit-exact, the report shows the tools' numbers
        var cosim = json.readTree(run.resolve("qat/rtl-cosim.json").toFile()).get(0);
        assertEquals(0, cosim.get("mismatches").asInt());
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d</td><td>%,d</td>",
                cosim.get("rtl").get("cycles").asLong(), cosim.get("simulator").get("cycles").asLong())),
                "RTL and simulator cycles");
        var synth = json.readTree(run.resolve("qat/synth.json").toFile()).get("report");
        assertEquals(1, synth.get("po").asInt());
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d (Yosys, conv unit PO=1 PI=1",
                synth.get("luts").asLong())), "synthesized LUTs");
        // design-space exploration: the paper's design beside the fastest fitting one, as dse.json says
        var dse = json.readTree(run.resolve("qat/dse/dse.json").toFile());
        for (String which : new String[] {"reference", "best"}) {
            var p = dse.get(which);
            assertTrue(html.contains(String.format(java.util.Locale.ROOT, "<td>%s</td><td>%d × %d × %d</td>",
                    p.get("name").asText(), p.get("convModules").asInt(), p.get("rcasPerModule").asInt(),
                    p.get("pesPerRca").asInt())), which);
            assertTrue(html.contains(String.format(java.util.Locale.ROOT, "<td>%.1f</td><td>%.2f×</td>",
                    p.get("gops").asDouble(), p.get("speedup").asDouble())), which + " GOP/s");
        }
        assertTrue(dse.get("best").get("gops").asDouble() >= dse.get("reference").get("gops").asDouble());
    }

    /** CLIP-Q search: per-layer BO over short fine-tunings; the state resumes; the result is a usable spec. */
    @Test
    void theClipQSearchFindsPerLayerSettingsAndResumes() throws Exception {
        Path data = sharedData();
        Path fp = tmp.resolve("float");
        assertEquals(0, lowbit("train", "--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini",
                "--epochs", "1", "--train-per-class", "20", "--test-limit", "50", "--run-dir", fp.toString(),
                "--data-dir", data.toString()).code());
        Path dir = tmp.resolve("search");
        String[] args = {"search", "--init", fp.resolve("best.lbck").toString(), "--run-dir", dir.toString(),
            "--layers", "conv1,conv4", "--iterations", "2", "--initial-points", "1", "--train-per-class", "10",
            "--val-images", "200", "--b-max", "3", "--size-budget", "1.0", "--data-dir", data.toString()};
        Run r = lowbit(args);
        assertEquals(0, r.code(), r.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("weight bits ([0-9,]+) of the budget ([0-9,]+)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) <= Long.parseLong(m.group(2).replace(",", "")),
                r.out());
        String spec = Files.readString(dir.resolve("result.txt")).strip();
        assertTrue(spec.contains(";conv1=clipq:") && spec.contains(";conv4=clipq:"), spec);
        var state = new ObjectMapper().readTree(dir.resolve("search.json").toFile());
        assertEquals(2, state.get("optimizers").get("conv1").get("observations").size());
        assertEquals(2, state.get("optimizers").get("conv1").get("space").size(), "p and b (b ≤ 3)");
        assertEquals(1.0, state.get("settings").get("sizeBudget").asDouble());
        // every evaluation is recorded; a search.json from before they were (bits benefit) reconstructs them exactly
        assertEquals(4, state.get("evaluations").size());
        assertTrue(Files.size(dir.resolve("search.png")) > 0, "search.png drawn after each layer");
        var recorded = Json.MAPPER.readValue(dir.resolve("search.json").toFile(), SearchCommand.SearchState.class);
        var old = new SearchCommand.SearchState(recorded.settings(), recorded.layers(), recorded.weights(),
                recorded.optimizers(), recorded.chosen(), recorded.cyclesRef(), null);
        List<SearchEvaluation> rebuilt = SearchEvaluation.reconstruct(old);
        assertEquals(recorded.evaluations().size(), rebuilt.size());
        for (int i = 0; i < rebuilt.size(); i++) {
            SearchEvaluation want = recorded.evaluations().get(i);
            SearchEvaluation got = rebuilt.get(i);
            assertEquals(want.layer() + want.k() + want.b(), got.layer() + got.k() + got.b());
            assertEquals(want.error(), got.error(), 1e-12);
            assertEquals(want.weightBits(), got.weightBits(), 1e-6);
        }
        Path png = tmp.resolve("search-plot.png");
        Run plotted = lowbit("search", "--plot", "--run-dir", dir.toString(), "--trained", fp.toString(), "--png",
                png.toString());
        assertEquals(0, plotted.code(), plotted.err());
        assertTrue(Files.size(png) > 0);
        Run again = lowbit("search", "--resume", "--run-dir", dir.toString(), "--data-dir", data.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains(spec), again.out());
        assertTrue(!again.out().contains("1/2:"), "a finished search evaluates nothing again");
        // the searched spec trains
        Run t = lowbit("train", "--model", "nin", "--width", "0.0625", "--dataset", "cifar10-mini", "--epochs", "1",
                "--train-per-class", "10", "--batch-size", "50", "--test-limit", "50", "--init",
                fp.resolve("best.lbck").toString(),
                "--quant", spec, "--run-dir", tmp.resolve("searched").toString(), "--data-dir", data.toString());
        assertEquals(0, t.code(), t.err());
        Run bad = lowbit("search", "--init", fp.resolve("best.lbck").toString(), "--run-dir",
                tmp.resolve("s2").toString(), "--benefit", "cycles", "--data-dir", data.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("needs --accel"), bad.err());
    }

    /** Pool layers co-simulate on the pool unit (docs/rtl.md §5); a layer the model lacks is named. */
    @Test
    void rtlCosimRunsPoolLayers() throws Exception {
        boolean verilator = io.lowbit.rtl.sim.ExternalTool.find("verilator").isPresent();
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(verilator, "verilator is not on PATH");
        } else {
            assumeTrue(verilator, "verilator is not on PATH: RTL co-simulation skipped");
        }
        Path lbq = tmp.resolve("nin.lbq");
        try (var in = CliTest.class.getResourceAsStream("/models/nin05-clipq.lbq")) {
            Files.write(lbq, in.readAllBytes());
        }
        Path json = tmp.resolve("cosim.json");
        Run r = lowbit("rtl", "cosim", lbq.toString(), "--layers", "pool1,gap", "--dataset", "cifar10-mini",
                "--data-dir", sharedData().toString(), "--work-dir", tmp.resolve("w").toString(), "--json-out",
                json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("bit-exact with the integer engine") && r.out().contains("cycles as modelled"),
                r.out());
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, results.size());
        for (JsonNode l : results) {
            assertEquals(0, l.get("mismatches").asInt());
            assertEquals(l.get("simulator").get("cycles").asLong(), l.get("rtl").get("cycles").asLong());
        }
        Run missing = lowbit("rtl", "cosim", lbq.toString(), "--layers", "pool9", "--dataset", "cifar10-mini",
                "--data-dir", sharedData().toString(), "--work-dir", tmp.resolve("w2").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("pool9"), missing.err());
    }

    private static long sumOf(com.fasterxml.jackson.databind.JsonNode array, String field) {
        long sum = 0;
        for (var n : array) {
            sum += n.get(field).asLong();
        }
        return sum;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
