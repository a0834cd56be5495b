package io.lowbit.train.quant;

import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of quantization methods by spec name. */
public final class QuantMethods {

    private static final Map<String, QuantMethod> METHODS = new LinkedHashMap<>();

    static {
        register(new FixedPointMethod());
        register(new io.lowbit.train.quant.clipq.ClipQMethod());
        register(new io.lowbit.train.quant.learned.LsqMethod());
        register(new io.lowbit.train.quant.learned.PactMethod());
        register(new io.lowbit.train.quant.learned.DorefaMethod());
        register(new io.lowbit.train.quant.learned.LsfqMethod());
    }

    private QuantMethods() {
    }

    static synchronized void register(QuantMethod m) {
        METHODS.put(m.name(), m);
    }

    public static synchronized QuantMethod forName(String name) {
        QuantMethod m = METHODS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown quantization method '" + name + "'; choose one of "
                    + METHODS.keySet() + " or float");
        }
        return m;
    }
}
