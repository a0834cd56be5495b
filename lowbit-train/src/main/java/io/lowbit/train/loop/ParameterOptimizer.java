package io.lowbit.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD (momentum, Nesterov) and Adam applied in place to a network's trainable parameters. Unlike DJL's
 * optimizers, its state (momentum buffers, Adam moments and step count) is visible, so a checkpoint holds
 * everything needed to continue a run exactly where it stopped.
 */
public final class ParameterOptimizer implements AutoCloseable {

    private final OptimizerConfig config;
    private final Map<Parameter, Double> extraDecay;
    private final Map<Parameter, Float> floors;
    private final NDManager stateManager;
    /** Per parameter name: SGD {velocity}; Adam {m, v}. Created lazily on the first step. */
    private final Map<String, NDArray[]> state = new LinkedHashMap<>();
    private long steps;

    public ParameterOptimizer(OptimizerConfig config, NDManager parent) {
        this(config, parent, Map.of());
    }

    /**
     * @param extraDecay L2 decay of parameters that are not conv/linear weights, e.g. PACT's clip level α
     *                   ({@link io.lowbit.train.quant.QuantPlan#parameterDecays})
     */
    public ParameterOptimizer(OptimizerConfig config, NDManager parent, Map<Parameter, Double> extraDecay) {
        this(config, parent, extraDecay, Map.of());
    }

    /**
     * @param floors lower bounds of parameters that must stay positive, e.g. learned quantization scales
     *               ({@link io.lowbit.train.quant.QuantPlan#parameterFloors}): after each update an entry above 0
     *               before it is held at its floor at least; an entry that is exactly 0 (a data-initialized scale
     *               not yet initialized) stays 0
     */
    public ParameterOptimizer(OptimizerConfig config, NDManager parent, Map<Parameter, Double> extraDecay,
            Map<Parameter, Float> floors) {
        this.config = config;
        this.extraDecay = Map.copyOf(extraDecay);
        this.floors = Map.copyOf(floors);
        this.stateManager = parent.newSubManager();
    }

    public long steps() {
        return steps;
    }

    /**
     * One update of every trainable parameter from its gradient, then zeroes the gradients. Temporaries live
     * in {@code stepManager}, which the caller closes after the step.
     */
    public void step(Map<String, Parameter> params, double lr, NDManager stepManager) {
        steps++;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray w = p.getArray();
            NDArray g = w.getGradient();
            g.attach(stepManager);
            NDArray grad = g;
            double decay = p.getType() == Parameter.Type.WEIGHT ? config.weightDecay()
                    : extraDecay.getOrDefault(p, 0.0);
            if (decay > 0) {
                grad = temp(w.mul(decay), stepManager).addi(g);
            }
            Float floor = floors.get(p);
            NDArray unset = floor == null ? null : temp(w.eq(0f), stepManager);
            if (config.kind().equals("sgd")) {
                sgd(e.getKey(), w, grad, lr, stepManager);
            } else {
                adam(e.getKey(), w, grad, lr, stepManager);
            }
            if (floor != null) {
                // w ← unset ? 0 : max(w, floor), in place
                NDArray target = temp(NDArrays.where(unset, temp(w.zerosLike(), stepManager),
                        temp(w.maximum(floor), stepManager)), stepManager);
                w.muli(0f).addi(target); // exact (w − (w − target) is not)
            }
            g.subi(g);
        }
    }

    // Every temporary must land in the step manager: an op's result belongs to its first operand's manager,
    // and parameters and state live in long-lived managers that would otherwise grow every step.
    private void sgd(String name, NDArray w, NDArray grad, double lr, NDManager tmp) {
        if (config.momentum() == 0) {
            w.subi(grad.mul(lr));
            return;
        }
        NDArray[] s = state.computeIfAbsent(name, k -> new NDArray[] {zerosLike(w)});
        NDArray v = s[0];
        v.muli(config.momentum()).addi(grad);
        if (config.nesterov()) {
            w.subi(temp(v.mul(config.momentum()), tmp).addi(grad).muli(lr));
        } else {
            w.subi(temp(v.mul(lr), tmp));
        }
    }

    private void adam(String name, NDArray w, NDArray grad, double lr, NDManager tmp) {
        NDArray[] s = state.computeIfAbsent(name, k -> new NDArray[] {zerosLike(w), zerosLike(w)});
        double b1 = config.beta1();
        double b2 = config.beta2();
        s[0].muli(b1).addi(grad.mul(1 - b1));
        s[1].muli(b2).addi(grad.square().muli(1 - b2));
        double c1 = 1 - Math.pow(b1, steps);
        double c2 = 1 - Math.pow(b2, steps);
        NDArray denom = temp(temp(s[1].div(c2), tmp).sqrt(), tmp).addi(config.epsilon());
        w.subi(temp(s[0].div(denom), tmp).muli(lr / c1));
    }

    private static NDArray temp(NDArray a, NDManager stepManager) {
        a.attach(stepManager);
        return a;
    }

    private NDArray zerosLike(NDArray w) {
        return stateManager.zeros(w.getShape(), w.getDataType());
    }

    /** Optimizer state as named arrays (for checkpoints): {@code <param>#<slot>}. */
    public Map<String, NDArray> stateArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        state.forEach((name, arrays) -> {
            for (int i = 0; i < arrays.length; i++) {
                out.put(name + "#" + i, arrays[i]);
            }
        });
        return out;
    }

    /** Restores state written by {@link #stateArrays()}; arrays are copied into this optimizer's manager. */
    public void restore(Map<String, NDArray> arrays, long stepCount, Map<String, Parameter> params) {
        int slots = config.kind().equals("sgd") ? 1 : 2;
        state.clear();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (!e.getValue().requiresGradient()) {
                continue;
            }
            NDArray first = arrays.get(e.getKey() + "#0");
            if (first == null) {
                continue;
            }
            NDArray[] s = new NDArray[slots];
            for (int i = 0; i < slots; i++) {
                NDArray a = arrays.get(e.getKey() + "#" + i);
                if (a == null || !a.getShape().equals(e.getValue().getArray().getShape())) {
                    throw new IllegalStateException("checkpoint optimizer state for " + e.getKey()
                            + " is missing or has the wrong shape");
                }
                s[i] = a.duplicate();
                s[i].attach(stateManager);
            }
            state.put(e.getKey(), s);
        }
        steps = stepCount;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
