package io.lowbit.cli;

import static io.lowbit.cli.CliTest.lowbit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.LrSchedule;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainingSummary;
import io.lowbit.train.quant.QuantScheme;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lowbit compare} on run directories in the format {@code lowbit train} writes. */
class CompareCommandTest {

    @TempDir
    Path tmp;

    private Path run(String name, String quant, int epochsDone, double accuracy) throws IOException {
        return run(name, quant, epochsDone, accuracy, 1);
    }

    private Path run(String name, String quant, int epochsDone, double accuracy, long seed) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        RunDirectory run = new RunDirectory(dir);
        TrainConfig c = new TrainConfig("vgg7", 0.25, "cifar10", "fine", 10, 128, OptimizerConfig.sgd(0.9, false, 5e-4),
                new LrSchedule("cosine", 0.01, 0, 10, List.of(), 0.1), seed, 0, 0, true, 500, quant, null, 0);
        Json.MAPPER.writeValue(run.config().toFile(), c);
        Json.MAPPER.writeValue(run.summaryJson().toFile(), new TrainingSummary(epochsDone == 10 ? "completed"
                : "running", "vgg7", 1000, 1000, "cifar10", 50000, 10000, epochsDone, 10, accuracy, accuracy + 0.001,
                epochsDone, 3725, 400, 0.001, 1, "lowbit train ...", "test", ""));
        return dir;
    }

    @Test
    void tabulatesRunsAgainstTheirFloatBaselineAndDrawsAccuracyVsBits() throws IOException {
        Path f = run("float", null, 10, 0.90);
        Path w4 = run("lsq-w4", "lsq:w=4,a=4;first=lsq:w=8,a=8;last=lsq:w=8,a=8", 10, 0.895);
        Path w2 = run("lsq-w2", "lsq:w=2,a=2", 4, 0.80);
        Path l3 = run("lsfq-w3", "lsfq:w=3,a=3", 10, 0.88);
        Path started = run("pact-w4", "pact:w=4,a=4", 1, 0.1);
        Files.delete(started.resolve("summary.json")); // no epoch finished yet
        Path png = tmp.resolve("bits.png");
        CliTest.Run r = lowbit("compare", f.toString(), w4.toString(), w2.toString(), l3.toString(),
                started.toString(), "--png", png.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("| float | vgg7@0.25 | float | float | 10/10 | 1 | 90.00 % | 90.10 % |  | 1h02m | completed |"),
                out);
        assertTrue(out.contains("| lsq-w4 | vgg7@0.25 | `lsq:w=4,a=4;first=lsq:w=8,a=8;last=lsq:w=8,a=8` | W4A4 | 10/10"
                + " | 1 | 89.50 % | 89.60 % | -0.50 |"), out);
        assertTrue(out.contains("| lsq-w2 | vgg7@0.25 | `lsq:w=2,a=2` | W2A2 | 4/10 | 1 | 80.00 % | 80.10 % | -10.00 |"
                + " 1h02m | running |"), out);
        assertTrue(out.contains("| pact-w4 | vgg7@0.25 | `pact:w=4,a=4` | W4A4 | 0/10 | 1 | — | — |  | 0m00s | started |"),
                out);
        assertTrue(out.contains("wrote " + png + " (3 quantized runs)"), out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth());
    }

    /**
     * Runs of one method with different settings are different lines of the chart; the bit keys and settings
     * written with their default value do not count.
     */
    @Test
    void variantsOfAMethodAreSeparateSeries() throws IOException {
        assertEquals("", RunComparison.variant(QuantScheme.parse("lsq:w=4,a=4")));
        assertEquals("alpha0=2,wgrid=dorefa", RunComparison.variant(QuantScheme.parse(
                "pact:wgrid=dorefa,w=2,a=2,alpha0=2")));
        assertEquals("wgrid=dorefa", RunComparison.variant(QuantScheme.parse("pact:wgrid=dorefa,w=2,a=2,alpha0=10")));
        assertEquals("wgrid=dorefa", RunComparison.variant(QuantScheme.parse("pact:w=3,a=3,alpha0=10.0,bn=fold,"
                + "wgrid=dorefa")));
        assertEquals("", RunComparison.variant(QuantScheme.parse("lsfq:w=4,a=4,gran=tensor,tau=0.1,lower=soft")));
        assertEquals("gran=channel,lower=hard", RunComparison.variant(QuantScheme.parse(
                "lsfq:w=4,a=4,lower=hard,gran=channel")));
        assertEquals("fmt=Q3.5,p=0.2", RunComparison.variant(QuantScheme.parse("clipq:p=0.2,b=2,fmt=Q3.5")));
        assertEquals("", RunComparison.variant(QuantScheme.parse("fixed:fmt=Q3.5")));
        Path plain = run("pact-w2", "pact:w=2,a=2;first=pact:w=8,a=8", 10, 0.30);
        Path levels = run("pact-dl-w2", "pact:w=2,a=2,wgrid=dorefa;first=pact:w=8,a=8", 10, 0.85);
        List<String> series = RunComparison.read(List.of(plain, levels)).rows().stream()
                .map(RunComparison.Row::series).toList();
        assertEquals(List.of("pact", "pact wgrid=dorefa"), series);
    }

    /** Runs differing only in their seed are summarized (mean ± sample sd, range) and drawn as one point. */
    @Test
    void seedsOfOneConfigurationAreSummarized() throws IOException {
        Path f = run("float", null, 10, 0.90);
        String spec = "lsfq:w=3,a=3;first=lsfq:w=8,a=8";
        Path s1 = run("lsfq-w3", spec, 10, 0.8857);
        Path s2 = run("lsfq-w3-s2", spec, 10, 0.8903, 2);
        Path lsq = run("lsq-w3", "lsq:w=3,a=3;first=lsq:w=8,a=8", 10, 0.8886);
        Path png = tmp.resolve("seeds.png");
        CliTest.Run r = lowbit("compare", f.toString(), s1.toString(), s2.toString(), lsq.toString(), "--png",
                png.toString());
        assertEquals(0, r.code(), r.err());
        // mean 88.80, sd |0.46|/√2 = 0.33 points; the float run has one seed, so it is the baseline as it is
        assertTrue(r.out().contains("| `lsfq:w=3,a=3;first=lsfq:w=8,a=8` | W3A3 | 1, 2 | 88.80 ± 0.33 % | 88.57 % –"
                + " 89.03 % | -1.20 |"), r.out());
        String seeds = r.out().substring(r.out().indexOf("| quantization | bits | seeds |"));
        assertTrue(!seeds.contains("lsq:w=3,a=3"), "one seed is no group: " + seeds);
        assertTrue(r.out().contains("wrote " + png + " (3 quantized runs)"), r.out());
    }

    @Test
    void aDirectoryWithoutARunIsNamed() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty")); // not even a config.json
        CliTest.Run r = lowbit("compare", empty.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no run in " + empty), r.err());
        Path broken = run("broken", null, 1, 0.5);
        Files.writeString(broken.resolve("summary.json"), "{\"status\": ");
        r = lowbit("compare", broken.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("summary.json: not a lowbit summary.json"), r.err());
    }

    private static void evalInt(Path run, int images, int integerCorrect, int fakeCorrect, int same)
            throws IOException {
        Files.writeString(run.resolve("eval-int.json"), String.format("{\"model\": \"m.lbq\", \"images\": %d,"
                + " \"correct\": %d, \"fakeQuant\": {\"correct\": %d, \"samePrediction\": %d}}", images,
                integerCorrect, fakeCorrect, same));
    }

    @Test
    void agreementTabulatesTheIntegerEngineAgainstTheFakeQuantModel() throws IOException {
        Path w4 = run("lsq-w4", "lsq:w=4,a=4", 10, 0.895);
        Path w3 = run("lsq-w3", "lsq:w=3,a=3", 10, 0.88);
        Path w2 = run("lsq-w2", "lsq:w=2,a=2", 10, 0.80);
        evalInt(w4, 10000, 8950, 8950, 10000);
        evalInt(w3, 10000, 8812, 8800, 9985); // 99.85 % equal and 0.12 points apart: both halves of the goal missed
        CliTest.Run r = lowbit("compare", "--agreement", w4.toString(), w3.toString(), w2.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| `lsq-w4` | vgg7@0.25 | `lsq:w=4,a=4` | 89.50 % | 89.50 % | 10,000 / 10,000 | met |"),
                r.out());
        assertTrue(r.out().contains("| `lsq-w3` | vgg7@0.25 | `lsq:w=3,a=3` | 88.12 % | 88.00 % | 9,985 / 10,000 (99.85 %)"
                + " | **missed** |"), r.out());
        assertTrue(r.out().contains("not measured (no eval-int.json): lsq-w2"), r.out());

        evalInt(w2, 10000, 8000, 8000, 10001); // more images equal than measured
        r = lowbit("compare", "--agreement", w2.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("eval-int.json: no count \"samePrediction\""), r.err());
        r = lowbit("compare", "--agreement", "--png", tmp.resolve("x.png").toString(), w4.toString());
        assertEquals(2, r.code());
    }

    private static void metrics(Path run, double... testAccuracies) throws IOException {
        StringBuilder csv = new StringBuilder("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,images_per_s,"
                + "data_wait_s\n");
        for (int e = 0; e < testAccuracies.length; e++) {
            csv.append(String.format(java.util.Locale.ROOT, "%d,%.6f,0.5,1.0,%.6f,0.01,60.0,800.0,0.1%n", e + 1,
                    2.0 / (e + 1), testAccuracies[e]));
        }
        Files.writeString(run.resolve("metrics.csv"), csv);
    }

    /** {@code --curves}: every run with a finished epoch is a line of both panels; a started one is left out. */
    @Test
    void drawsTheRunsTrainingCurvesOnCommonAxes() throws IOException {
        Path f = run("float", null, 10, 0.90);
        metrics(f, 0.5, 0.7, 0.8, 0.85, 0.87, 0.88, 0.89, 0.895, 0.9, 0.9);
        Path w3 = run("lsfq-w3", "lsfq:w=3,a=3", 3, 0.88);
        metrics(w3, 0.86, 0.87, 0.88);
        Path started = run("lsq-w3", "lsq:w=3,a=3", 0, 0.0);
        Files.delete(started.resolve("summary.json"));
        Path png = tmp.resolve("curves.png");
        CliTest.Run r = lowbit("compare", f.toString(), w3.toString(), started.toString(), "--curves",
                png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + png + " (curves of 2 runs)"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth(), "two panels side by side");

        Files.writeString(w3.resolve("metrics.csv"), "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,"
                + "images_per_s,data_wait_s\n1,0.5,0.5,1.0,x,0.01,60,800,0.1\n");
        r = lowbit("compare", w3.toString(), "--curves", png.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("metrics.csv line 2: not a number"), r.err());
        Files.writeString(w3.resolve("metrics.csv"), "epoch;loss\n");
        r = lowbit("compare", w3.toString(), "--curves", png.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("not a lowbit metrics.csv"), r.err());
        r = lowbit("compare", started.toString(), "--curves", png.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run has a finished epoch"), r.err());
    }

    @Test
    void perLayerRulesThatRepeatTheDefaultAreLeftOut() {
        assertEquals("clipq:p=0.2,b=2;conv9=clipq:p=0.1401,b=2", RunComparison.compactSpec(
                "clipq:p=0.2,b=2;conv1=clipq:p=0.2000,b=2;conv9=clipq:p=0.1401,b=2"));
        // a rule for more than one layer: dropping another rule could change what matches, so nothing is dropped
        String wild = "lsq:w=4,a=4;conv*=lsq:w=3,a=3;conv1=lsq:w=4,a=4";
        assertEquals(wild, RunComparison.compactSpec(wild));
        assertEquals("lsq:w=4,a=4;last=lsq:w=8,a=8", RunComparison.compactSpec("lsq:w=4,a=4;last=lsq:w=8,a=8"));
    }
}
