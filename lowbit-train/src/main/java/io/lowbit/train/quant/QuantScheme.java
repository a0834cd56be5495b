package io.lowbit.train.quant;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One quantization method with its parameters, written {@code method:key=value,key=value} (e.g.
 * {@code lsfq:w=4,a=4} or {@code clipq:p=0.2,b=2,fmt=Q3.5}); {@code float} leaves a layer unquantized.
 * Parameter values are validated by the method (see {@code docs/quantization.md}).
 */
public record QuantScheme(String method, Map<String, String> params) {

    public static final QuantScheme FLOAT = new QuantScheme("float", Map.of());

    public QuantScheme {
        method = method.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static QuantScheme parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String method = (colon < 0 ? t : t.substring(0, colon)).trim();
        if (method.isEmpty()) {
            throw new IllegalArgumentException("empty quantization method in '" + text + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String kv : t.substring(colon + 1).split(",")) {
                if (kv.isBlank()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + kv.trim() + "' in '" + text + "' is not key=value");
                }
                String key = kv.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (params.put(key, kv.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("parameter '" + key + "' given twice in '" + text + "'");
                }
            }
        }
        return new QuantScheme(method, params);
    }

    public boolean isFloat() {
        return method.equals("float");
    }

    /** Rejects parameters the method does not know, naming them and the ones it does. */
    public void requireOnly(Set<String> known) {
        for (String k : params.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("quantization method '" + method + "' has no parameter '" + k
                        + "'; it takes " + known);
            }
        }
    }

    public String get(String key, String defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** An integer parameter in [min, max]. */
    public int intParam(String key, int defaultValue, int min, int max) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new IllegalArgumentException(method + ": " + key + "=" + v + " is outside [" + min + ", "
                        + max + "]");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + ": " + key + "=" + v + " is not an integer");
        }
    }

    /** A real parameter in [min, max]. */
    public double doubleParam(String key, double defaultValue, double min, double max) {
        String v = params.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new IllegalArgumentException(method + ": " + key + "=" + v + " is outside [" + min + ", "
                        + max + "]");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + ": " + key + "=" + v + " is not a number");
        }
    }

    @Override
    public String toString() {
        if (params.isEmpty()) {
            return method;
        }
        StringBuilder sb = new StringBuilder(method).append(':');
        params.forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        return sb.substring(0, sb.length() - 1);
    }
}
