package io.lowbit.train.quant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which quantization each layer gets, from one text: a default scheme, then {@code ;}-separated overrides
 * {@code SELECTOR=SCHEME} where later rules win. A selector is a layer name ({@code conv1}), a glob
 * ({@code stage2.*}), {@code first} or {@code last} (the first and last conv/linear layer in forward order).
 * {@code @FILE} reads the same text from a file, one rule per line, {@code #} starting a comment.
 *
 * <pre>
 *   lsfq:w=4,a=4; first=lsfq:w=8,a=8; last=lsfq:w=8,a=8
 *   clipq:p=0.2,b=2,fmt=Q3.5; conv9=clipq:p=0.3,b=2,fmt=Q3.5
 *   fixed:fmt=Q3.5
 * </pre>
 */
public record QuantSpec(QuantScheme defaults, List<Rule> overrides, String text) {

    /** An override: layers matching {@code selector} get {@code scheme}. */
    public record Rule(String selector, QuantScheme scheme) {
        boolean matches(String layer, boolean first, boolean last) {
            return switch (selector) {
                case "first" -> first;
                case "last" -> last;
                default -> selector.contains("*")
                        ? Pattern.matches(Pattern.quote(selector).replace("*", "\\E.*\\Q"), layer)
                        : selector.equals(layer);
            };
        }
    }

    public QuantSpec {
        overrides = List.copyOf(overrides);
    }

    public static QuantSpec parse(String text) {
        String body = text.trim();
        if (body.startsWith("@")) {
            Path file = Path.of(body.substring(1));
            try {
                StringBuilder sb = new StringBuilder();
                for (String line : Files.readAllLines(file)) {
                    int hash = line.indexOf('#');
                    sb.append(hash >= 0 ? line.substring(0, hash) : line).append(';');
                }
                body = sb.toString();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read quantization spec " + file + ": " + e.getMessage());
            }
        }
        List<String> parts = new ArrayList<>();
        for (String p : body.split(";")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty quantization spec");
        }
        QuantScheme defaults = QuantScheme.parse(parts.get(0));
        List<Rule> rules = new ArrayList<>();
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            int colon = p.indexOf(':');
            if (eq <= 0 || (colon >= 0 && colon < eq)) {
                throw new IllegalArgumentException("override '" + p + "' must read SELECTOR=SCHEME, e.g. "
                        + "first=lsfq:w=8,a=8 or conv1=float");
            }
            rules.add(new Rule(p.substring(0, eq).trim(), QuantScheme.parse(p.substring(eq + 1))));
        }
        return new QuantSpec(defaults, rules, text.trim());
    }

    /** The scheme of one layer: the last matching override, else the default. */
    public QuantScheme schemeFor(String layer, boolean first, boolean last) {
        QuantScheme s = defaults;
        for (Rule r : overrides) {
            if (r.matches(layer, first, last)) {
                s = r.scheme();
            }
        }
        return s;
    }

    /** Whether the default or an override uses one of {@code methods}. */
    public boolean uses(Set<String> methods) {
        return methods.contains(defaults.method())
                || overrides.stream().anyMatch(r -> methods.contains(r.scheme().method()));
    }

    /**
     * This spec with {@code key=value} added to every scheme of one of {@code methods} that does not set {@code key}:
     * pins a default that changed, for configurations written before (same text).
     */
    public QuantSpec withDefault(Set<String> methods, String key, String value) {
        List<Rule> rules = new ArrayList<>();
        for (Rule r : overrides) {
            rules.add(new Rule(r.selector(), withDefault(r.scheme(), methods, key, value)));
        }
        return new QuantSpec(withDefault(defaults, methods, key, value), rules, text);
    }

    private static QuantScheme withDefault(QuantScheme s, Set<String> methods, String key, String value) {
        if (!methods.contains(s.method()) || s.params().containsKey(key)) {
            return s;
        }
        Map<String, String> params = new LinkedHashMap<>(s.params());
        params.put(key, value);
        return new QuantScheme(s.method(), params);
    }

    /** Selectors that name no layer of the model (a typo would otherwise silently do nothing). */
    public List<String> unmatchedSelectors(List<String> layers) {
        List<String> out = new ArrayList<>();
        for (Rule r : overrides) {
            boolean any = false;
            for (int i = 0; i < layers.size(); i++) {
                any |= r.matches(layers.get(i), i == 0, i == layers.size() - 1);
            }
            if (!any) {
                out.add(r.selector());
            }
        }
        return out;
    }
}
