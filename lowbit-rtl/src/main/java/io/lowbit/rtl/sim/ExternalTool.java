package io.lowbit.rtl.sim;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** An executable found on {@code PATH} and run with a timeout; output goes to a log file (it can be long). */
public record ExternalTool(String name, Path executable) {

    /** The tool, if {@code PATH} has it. */
    public static Optional<ExternalTool> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new ExternalTool(name, candidate));
            }
        }
        return Optional.empty();
    }

    /** The tool or an exception naming what to install. */
    public static ExternalTool require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not on PATH (install it, e.g."
                + " apt-get install " + name + ")"));
    }

    /** Result of one run. */
    public record Run(int exitCode, String output, long millis) {
    }

    /** Runs {@code args} in {@code workDir}; output (stdout + stderr) also goes to {@code log}. */
    public Run run(List<String> args, Path workDir, Path log, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        return exec(command, workDir, log, timeoutSeconds);
    }

    /** Runs any command line (e.g. a built model) the same way. */
    public static Run exec(List<String> command, Path workDir, Path log, long timeoutSeconds) {
        try {
            Files.createDirectories(workDir);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + timeoutSeconds
                        + " s (log: " + log + ")");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return new Run(p.exitValue(), out, (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    /** First line of {@code --version} (or {@code -V}) output, part of the build cache key. */
    public String version(String flag) {
        try {
            Path log = Files.createTempFile("lowbit-" + name, ".version");
            try {
                return run(List.of(flag), log.getParent(), log, 60).output().lines().findFirst().orElse("").trim();
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
