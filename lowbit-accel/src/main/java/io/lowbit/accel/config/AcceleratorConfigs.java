package io.lowbit.accel.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Presets and JSON I/O of {@link AcceleratorConfig}. A preset is a JSON file shipped in the jar
 * ({@code io/lowbit/accel/presets/<name>.json}), so a preset and a user's file are read by the same code.
 */
public final class AcceleratorConfigs {

    /** Built-in designs. */
    public static final List<String> PRESETS = List.of("pynq-z2-clipq", "pynq-z2-clipq-linebuffer",
            "pynq-z2-clipq-dsp-packed");

    /** A configuration file larger than this is not a configuration (keeps hostile input bounded). */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private AcceleratorConfigs() {
    }

    /** The paper's design (Cheng, Lin, Shih 2022). */
    public static AcceleratorConfig pynqZ2ClipQ() {
        return preset("pynq-z2-clipq");
    }

    public static AcceleratorConfig preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new InvalidConfigException("no accelerator preset '" + name + "'; presets: " + PRESETS
                    + " (or give a JSON file, docs/accelerator.md §1)");
        }
        try (InputStream in = AcceleratorConfigs.class.getResourceAsStream("/io/lowbit/accel/presets/" + name
                + ".json")) {
            if (in == null) {
                throw new IllegalStateException("preset resource " + name + ".json is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "preset " + name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read preset " + name, e);
        }
    }

    /** A preset name, or else the path of a JSON file. */
    public static AcceleratorConfig resolve(String presetOrFile) throws IOException {
        if (PRESETS.contains(presetOrFile)) {
            return preset(presetOrFile);
        }
        Path file = Path.of(presetOrFile);
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("'" + presetOrFile + "' is neither an accelerator preset " + PRESETS
                    + " nor a configuration file");
        }
        return load(file);
    }

    public static AcceleratorConfig load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new InvalidConfigException(file + ": " + size + " bytes is too large for an accelerator"
                    + " configuration (limit " + MAX_FILE_BYTES + ")");
        }
        return parse(Files.readString(file), file.toString());
    }

    /**
     * Parses JSON; every problem (syntax, unknown field, bad value) names the source and the field. A missing number reads
     * as 0 and fails its range check by name; a missing object is reported as missing.
     */
    public static AcceleratorConfig parse(String json, String source) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                throw new InvalidConfigException(source + ": empty accelerator configuration");
            }
            requireKnownFields(tree, AcceleratorConfig.class, "", source);
            AcceleratorConfig config = MAPPER.treeToValue(tree, AcceleratorConfig.class);
            if (config == null) {
                throw new InvalidConfigException(source + ": empty accelerator configuration");
            }
            return config;
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String where = e.getPath().isEmpty() ? "" : " at " + path(e);
            if (cause instanceof InvalidConfigException ice) {
                throw new InvalidConfigException(source + ": " + ice.getMessage(), e);
            }
            throw new InvalidConfigException(source + ": invalid accelerator configuration" + where + ": "
                    + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String toJson(AcceleratorConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unknown fields first: a misspelt field should be named as such, not as the missing one it replaced. */
    private static void requireKnownFields(JsonNode node, Class<?> type, String prefix, String source) {
        if (!node.isObject() || !type.isRecord()) {
            return;
        }
        Map<String, Class<?>> fields = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            fields.put(c.getName(), c.getType());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!fields.containsKey(name)) {
                throw new InvalidConfigException(source + ": unknown field '" + prefix + name + "' (known: "
                        + fields.keySet() + ")");
            }
            requireKnownFields(node.get(name), fields.get(name), prefix + name + ".", source);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
