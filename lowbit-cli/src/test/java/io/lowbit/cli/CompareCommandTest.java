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
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        RunDirectory run = new RunDirectory(dir);
        TrainConfig c = new TrainConfig("vgg7", 0.25, "cifar10", "fine", 10, 128, OptimizerConfig.sgd(0.9, false, 5e-4),
                new LrSchedule("cosine", 0.01, 0, 10, List.of(), 0.1), 1, 0, 0, true, 500, quant, null, 0);
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
}
