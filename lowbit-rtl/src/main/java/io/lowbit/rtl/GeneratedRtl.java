package io.lowbit.rtl;

import java.nio.file.Path;
import java.util.List;

/**
 * Verilog sources written by {@link RtlGenerator}.
 *
 * @param directory  where they are
 * @param parameters what they were generated for
 * @param sources    the design files (library modules, {@code lowbit_params.vh}, the {@code lowbit_accel} wrapper)
 * @param testbenches simulation-only testbenches ({@code tb_*.v})
 * @param hash       SHA-256 of every written file's name and content: the Verilator build cache key
 */
public record GeneratedRtl(Path directory, RtlParameters parameters, List<Path> sources, List<Path> testbenches,
        String hash) {

    public GeneratedRtl {
        sources = List.copyOf(sources);
        testbenches = List.copyOf(testbenches);
    }

    /** The generated top-level wrapper. */
    public Path top() {
        return directory.resolve(RtlGenerator.TOP_FILE);
    }

    public Path testbench(String name) {
        return directory.resolve(name + ".v");
    }
}
