package io.lowbit.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Descriptive facts about an integer model; none of them affects the arithmetic, all of them enter the fingerprint.
 *
 * @param name       short name, e.g. {@code nin-cifar10-lsfq4}
 * @param source     where it came from, e.g. the checkpoint and quantization spec it was exported from
 * @param provenance free-form key → value facts (git commit, training run, accuracy …), kept sorted by key
 * @param classNames one name per output element, in order, or empty when unknown
 */
public record ModelMetadata(String name, String source, Map<String, String> provenance, List<String> classNames) {

    public ModelMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if (name.isBlank()) {
            throw new InvalidModelException("the model name must not be blank");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw new InvalidModelException("provenance keys must be non-empty and values non-null: " + e);
            }
            sorted.put(e.getKey(), e.getValue());
        }
        provenance = Collections.unmodifiableMap(sorted);
        classNames = List.copyOf(classNames);
    }

    /** Metadata with just a name. */
    public static ModelMetadata named(String name) {
        return new ModelMetadata(name, "", Map.of(), List.of());
    }
}
