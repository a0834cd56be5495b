package io.lowbit.rtl.sim;

import io.lowbit.rtl.GeneratedRtl;
import io.lowbit.rtl.RtlGenerator;
import io.lowbit.rtl.RtlParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Verilator: lint and testbench builds. A build compiles one testbench ({@code --binary --timing}) with the
 * generated sources; the executable is cached under {@code cacheRoot/<hash>/} where the hash covers the sources,
 * the parameters, the testbench, the flags and the Verilator version, so a rerun with unchanged RTL costs nothing.
 */
public final class Verilator {

    private static final List<String> BUILD_FLAGS = List.of("--binary", "--timing", "-Wno-fatal", "-Wno-lint",
            "-Wno-style", "-O2", "-CFLAGS", "-O1", "-j", "2");

    private final ExternalTool tool;
    private final Path cacheRoot;

    public Verilator(ExternalTool tool, Path cacheRoot) {
        this.tool = tool;
        this.cacheRoot = cacheRoot;
    }

    /** On {@code PATH}, cache in {@code cacheRoot}. */
    public static Verilator onPath(Path cacheRoot) {
        return new Verilator(ExternalTool.require("verilator"), cacheRoot);
    }

    /** Default cache: {@code $LOWBIT_RTL_CACHE}, else {@code ~/.cache/lowbit/verilator}. */
    public static Path defaultCache() {
        String env = System.getenv("LOWBIT_RTL_CACHE");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "lowbit", "verilator");
    }

    /** {@code verilator --lint-only -Wall} of the generated top; returns the messages (empty when clean). */
    public String lint(GeneratedRtl rtl) {
        List<String> args = new ArrayList<>(List.of("--top-module", "lowbit_accel"));
        args.add(rtl.directory().resolve(RtlGenerator.PARAMS_FILE).toString());
        for (String m : RtlGenerator.MODULES) {
            args.add(rtl.directory().resolve(m).toString());
        }
        args.add(rtl.top().toString());
        return lint(rtl, args, "lint.log");
    }

    /**
     * {@code verilator --lint-only -Wall} of {@code lowbit_pool_unit} alone (besides inside the accelerator top),
     * with the configuration's {@code PI}, code width and feature-map banks.
     */
    public String lintPoolUnit(GeneratedRtl rtl) {
        var p = rtl.parameters();
        List<String> args = List.of("--top-module", "lowbit_pool_unit", "-GPI=" + p.pi(), "-GAW="
                + p.activationBits(), "-GLB=" + p.fmBankBits(), "-GBA_W=" + p.fmBankAddressBits(),
                rtl.directory().resolve(RtlGenerator.POOL_UNIT_FILE).toString());
        return lint(rtl, args, "lint-pool.log");
    }

    private String lint(GeneratedRtl rtl, List<String> topAndFiles, String log) {
        List<String> args = new ArrayList<>(List.of("--lint-only", "-Wall", "-I" + rtl.directory()));
        args.addAll(topAndFiles);
        ExternalTool.Run run = tool.run(args, rtl.directory(), rtl.directory().resolve(log), 600);
        return run.exitCode() == 0 && run.output().isBlank() ? "" : run.output();
    }

    /** The executable of {@code testbench} (e.g. {@code tb_rca}) for these sources; builds it if not cached. */
    public Path build(GeneratedRtl rtl, String testbench) {
        try {
            String key = key(rtl, testbench);
            Path dir = cacheRoot.resolve(testbench + "-" + key.substring(0, 16));
            Path exe = dir.resolve("V" + testbench);
            if (Files.isExecutable(exe)) {
                return exe;
            }
            Path tmp = Files.createDirectories(cacheRoot).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current()
                    .pid());
            Files.createDirectories(tmp);
            List<String> args = new ArrayList<>(BUILD_FLAGS);
            args.addAll(List.of("--top-module", testbench, "--Mdir", tmp.resolve("obj").toString(), "-o",
                    tmp.resolve("V" + testbench).toString(), "-I" + rtl.directory()));
            for (String m : RtlGenerator.MODULES) {
                args.add(rtl.directory().resolve(m).toString());
            }
            args.add(rtl.top().toString());
            args.add(rtl.testbench(testbench).toString());
            ExternalTool.Run run = tool.run(args, tmp, tmp.resolve("build.log"), 1800);
            if (run.exitCode() != 0) {
                throw new IllegalStateException("verilator build of " + testbench + " failed (exit " + run.exitCode()
                        + "), log " + tmp.resolve("build.log") + ":\n" + tail(run.output()));
            }
            Files.createDirectories(dir);
            Files.move(tmp.resolve("V" + testbench), exe, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("build.log"), run.output() + "\nbuild ms " + run.millis() + "\n");
            deleteTree(tmp);
            return exe;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a built testbench in {@code workDir} with plusargs; fails on a non-zero exit. */
    public static ExternalTool.Run run(Path exe, Path workDir, List<String> plusargs, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(plusargs);
        ExternalTool.Run run = ExternalTool.exec(cmd, workDir, workDir.resolve("sim.log"), timeoutSeconds);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(exe.getFileName() + " exited with " + run.exitCode() + ":\n"
                    + tail(run.output()));
        }
        return run;
    }

    private String key(GeneratedRtl rtl, String testbench) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(rtl.hash().getBytes(StandardCharsets.UTF_8));
            d.update(testbench.getBytes(StandardCharsets.UTF_8));
            d.update(String.join(" ", BUILD_FLAGS).getBytes(StandardCharsets.UTF_8));
            d.update(tool.version("--version").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(String s) {
        return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
