package io.lowbit.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

    @TempDir
    Path tmp;

    @Test
    void oneEpochLowersTheLossAndWritesTheRunDirectory() throws IOException {
        TrainConfig cfg = TinyRuns.config(1, 0.05);
        double before = initialTestLoss(cfg);
        Path run = tmp.resolve("run");
        TrainingSummary s = TrainingRun.run(cfg, TinyRuns.options(run, false));
        assertEquals("completed", s.status());
        String[] row = Files.readAllLines(run.resolve("metrics.csv")).get(1).split(",");
        double after = Double.parseDouble(row[3]); // test_loss
        assertTrue(after < before, "test loss " + before + " → " + after + " after one epoch");
        for (String f : List.of("config.json", "last.lbck", "best.lbck", "metrics.csv", "summary.json",
                "curves.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        assertEquals(200, s.testImages());
        assertEquals(500, s.trainImages());
        List<EpochMetrics> read = EpochMetrics.readCsv(run.resolve("metrics.csv")); // what compare --curves draws
        assertEquals(1, read.size());
        assertEquals(s.finalTestAccuracy(), read.get(0).testAccuracy(), 1e-6);
    }

    @Test
    void aMetricsFileTooLargeForAnyRunIsRefusedUnread() throws IOException {
        Path csv = tmp.resolve("metrics.csv");
        try (var out = Files.newOutputStream(csv)) {
            byte[] line = new byte[1 << 20];
            java.util.Arrays.fill(line, (byte) '1'); // one endless line: never reaches readLine
            for (int i = 0; i <= EpochMetrics.MAX_BYTES >> 20; i++) {
                out.write(line);
            }
        }
        IOException e = assertThrows(IOException.class, () -> EpochMetrics.readCsv(csv));
        assertTrue(e.getMessage().contains("not a lowbit metrics.csv"), e.getMessage());
    }

    @Test
    void aKilledRunResumesToTheSameResult() throws Exception {
        int epochs = 3;
        Path straight = tmp.resolve("straight");
        TrainingRun.run(TinyRuns.config(epochs, 0.05), TinyRuns.options(straight, false));

        Path killed = tmp.resolve("killed");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillableTrainingMain.class.getName(),
                killed.toString(), Integer.toString(epochs))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path ckpt = killed.resolve("last.lbck");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no flushing
        assertTrue(Files.exists(ckpt), "child wrote no checkpoint: " + Files.readString(tmp.resolve("child.log")));
        int doneAtKill = Checkpoints.readMeta(ckpt).epochsDone();
        assertTrue(doneAtKill < epochs, "the child finished before it could be killed");

        TrainingSummary resumed = TrainingRun.run(null, TinyRuns.options(killed, true));
        assertEquals(epochs, resumed.epochsDone());
        try (NDManager m = NDManager.newBaseManager()) {
            var a = CheckpointFile.read(straight.resolve("last.lbck"), m).tensors();
            var b = CheckpointFile.read(ckpt, m).tensors();
            assertEquals(a.keySet(), b.keySet());
            float worst = 0;
            for (String k : a.keySet()) {
                NDArray x = a.get(k);
                NDArray y = b.get(k);
                float diff = x.sub(y).abs().max().getFloat();
                assertTrue(diff <= 1e-4f * Math.max(1f, x.abs().max().getFloat()),
                        k + " differs by " + diff + " after resuming at epoch " + doneAtKill);
                worst = Math.max(worst, diff);
            }
            System.out.println("resumed after epoch " + doneAtKill + ": largest parameter difference " + worst);
        }
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromTheStart() throws IOException {
        TrainConfig cfg = TinyRuns.config(1, 0.05);
        Path straight = tmp.resolve("straight");
        TrainingRun.run(cfg, TinyRuns.options(straight, false));
        // what a run killed during its first epoch leaves: its config, no checkpoint
        Path killed = tmp.resolve("killed-early");
        Files.createDirectories(killed);
        Files.copy(straight.resolve("config.json"), killed.resolve("config.json"));
        TrainingSummary resumed = TrainingRun.run(null, TinyRuns.options(killed, true));
        assertEquals("completed", resumed.status());
        assertEquals(1, resumed.epochsDone());
        assertEquals(Files.readAllLines(straight.resolve("metrics.csv")).get(1).split(",")[4],
                Files.readAllLines(killed.resolve("metrics.csv")).get(1).split(",")[4], "test accuracy");
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = tmp.resolve("nan");
        TrainingRun.run(TinyRuns.config(1, 0.05), TinyRuns.options(run, false));
        byte[] good = Files.readAllBytes(run.resolve("last.lbck"));
        // Continue the same run for a second epoch at an absurd learning rate: it must blow up.
        TrainConfig stored = Json.MAPPER.readValue(run.resolve("config.json").toFile(), TrainConfig.class);
        TrainConfig exploding = new TrainConfig(stored.model(), stored.width(), stored.dataset(), stored.labels(), 2,
                stored.batchSize(), stored.optimizer(), new LrSchedule("constant", 1e30, 0, 2, List.of(), 0.1),
                stored.seed(), stored.trainLimit(), stored.testLimit(), stored.augment(), stored.evalBatchSize());
        Files.writeString(run.resolve("config.json"), Json.MAPPER.writeValueAsString(exploding));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> TrainingRun.run(null, TinyRuns.options(run, true)));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        assertTrue(e.getMessage().contains("last good checkpoint"), e.getMessage());
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(run.resolve("last.lbck"))),
                "the last good checkpoint was overwritten");
        assertTrue(Files.readString(run.resolve("summary.json")).contains("\"diverged\""));
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws IOException {
        Path run = tmp.resolve("exists");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");
        IOException e = assertThrows(IOException.class,
                () -> TrainingRun.run(TinyRuns.config(1, 0.05), TinyRuns.options(run, false)));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertEquals("{}", Files.readString(run.resolve("config.json")));
    }

    @Test
    void aRunDirectoryInUseIsRefusedAndReleasedWithItsProcess() throws IOException {
        Path run = tmp.resolve("busy");
        Files.createDirectories(run);
        RunDirectory dir = new RunDirectory(run);
        try (RunLock held = RunLock.acquire(dir)) {
            IOException e = assertThrows(IOException.class,
                    () -> TrainingRun.run(TinyRuns.config(1, 0.05), TinyRuns.options(run, false)));
            assertTrue(e.getMessage().contains("is in use by another training process"), e.getMessage());
            assertFalse(Files.exists(dir.config()), "a refused run must not write its config");
            assertThrows(IOException.class, () -> RunLock.acquire(dir).close());
        }
        RunLock.acquire(dir).close(); // released: the next run may take it
    }

    private static double initialTestLoss(TrainConfig cfg) throws IOException {
        CifarDataset data = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, TinyRuns.sharedData(), false);
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = Models.build(ModelSpec.of(cfg.model(), cfg.width(), 10));
            Networks.initialize(net, m, cfg.seed());
            return Evaluator.evaluate(net, m, data.test().first(cfg.testLimit()),
                    Normalization.forDataset(DatasetName.CIFAR10_MINI), 100).loss();
        }
    }
}
