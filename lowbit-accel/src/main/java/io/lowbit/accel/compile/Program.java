package io.lowbit.accel.compile;

import java.util.List;
import java.util.Objects;

/**
 * A compiled network: the per-layer decisions and the instruction stream the simulator and the RTL controller
 * execute ({@code docs/accelerator.md} §3). Tied to one model (by fingerprint) and one configuration (by name).
 *
 * @param format           {@value #FORMAT}
 * @param version          format version
 * @param accelerator      configuration name
 * @param model            model name
 * @param modelFingerprint {@link io.lowbit.core.model.IntegerModel#fingerprint()} of the compiled model
 * @param layers           one plan per layer after the input, in model order
 * @param instructions     the program
 */
public record Program(String format, int version, String accelerator, String model, String modelFingerprint,
        List<LayerPlan> layers, List<Instruction> instructions) {

    public static final String FORMAT = "lowbit-accel-program";
    public static final int VERSION = 1;

    public Program {
        Objects.requireNonNull(accelerator, "accelerator");
        layers = List.copyOf(layers);
        instructions = List.copyOf(instructions);
    }

    public LayerPlan layer(String id) {
        return layers.stream().filter(l -> l.layer().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer '" + id + "' in the program"));
    }

    /** Instructions of a given type. */
    public <T extends Instruction> List<T> instructions(Class<T> type) {
        return instructions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
