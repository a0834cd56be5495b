package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Skeleton of a quantizer with one learnable scale (LSQ's step, PACT's and LSFQ's clip level): a
 * {@link Parameter.Type#OTHER} parameter (no weight decay) of shape (1), or (C) per output channel of a weight.
 *
 * <p>Life-cycle. A data-initialized scale is created as 0, the sentinel "not yet initialized". The first forward
 * that sees data (training or not) computes the initial value on the host from that data ({@link #initialScales})
 * and writes it into the parameter array (an untracked write, legal on PyTorch leaves inside a gradient
 * collector); a scale that is already non-zero — restored from a checkpoint, or initialized earlier — is never
 * re-initialized. While the data are all zeros the quantizer passes them through (which equals quantizing them)
 * and stays uninitialized. The check reads the parameter once per quantizer and process. A trained model is
 * {@linkplain #settle settled} when it is loaded for evaluation or export: a scale still 0 then belongs to a tensor
 * that was 0 on every training batch (a dead unit), and gets {@link #UNSEEN_SCALE}, so that evaluation does not
 * initialize it from evaluation data and export has a step (docs/quantization.md, "Initialization").
 */
public abstract class ScaledQuantizer extends AbstractBlock implements GridQuantizer {

    final Grid grid;
    final TensorRole role;
    final Granularity granularity;
    /**
     * The least value training holds an initialized scale at ({@code QuantPlan.parameterFloors}): a learning rate
     * too high for a learned step can otherwise drive it to 0 or below, which export cannot write.
     */
    public static final float MIN_SCALE = 1e-6f;

    /** The scale {@link #settle} gives a tensor that was 0 on all training data: 1 in the units of the input. */
    public static final float UNSEEN_SCALE = 1f;
    /** (1) or (C): LSQ step or clip level α, in the units of the input. */
    final Parameter scale;
    private final boolean dataInitialized;
    private boolean ready;
    /** Not yet initialized after training forwards that saw only zeros. */
    private boolean zerosInTraining;

    /**
     * @param initialValue the scale's constant initial value, or 0 for a data-dependent initialization
     */
    ScaledQuantizer(String name, Grid grid, TensorRole role, Granularity granularity, float initialValue) {
        if (role == TensorRole.WEIGHT && !grid.signed()) {
            throw new IllegalArgumentException("weights use a signed (symmetric) grid");
        }
        if (role == TensorRole.ACTIVATION && granularity != Granularity.TENSOR) {
            throw new IllegalArgumentException("activation scales are per tensor");
        }
        if (!(initialValue >= 0) || Float.isInfinite(initialValue)) {
            throw new IllegalArgumentException("initial " + name + " " + initialValue + " must be ≥ 0 and finite");
        }
        this.grid = grid;
        this.role = role;
        this.granularity = granularity;
        this.dataInitialized = initialValue == 0;
        this.scale = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(initialValue)).build());
    }

    @Override
    public Grid grid() {
        return grid;
    }

    public TensorRole role() {
        return role;
    }

    public Granularity granularity() {
        return granularity;
    }

    /** The learnable scale parameter. */
    public Parameter scaleParameter() {
        return scale;
    }

    /** Whether the scale holds a value (always true for constant initialization). */
    public boolean isScaleInitialized() {
        return ready || (scale.isInitialized() && anyNonZero(scale.getArray().toFloatArray()));
    }

    /**
     * Ends training's "not yet initialized" state. A data-initialized scale still 0 gets {@link #UNSEEN_SCALE} in
     * every group (any scale quantizes the all-zero data it saw to themselves); returns whether it did.
     */
    public boolean settle() {
        NDArray p = scale.getArray();
        boolean unseen = dataInitialized && !anyNonZero(p.toFloatArray());
        if (unseen) {
            float[] v = new float[Math.toIntExact(p.size())];
            java.util.Arrays.fill(v, UNSEEN_SCALE);
            p.set(v);
        }
        ready = true;
        return unseen;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        scale.setShape(new Shape(granularity == Granularity.CHANNEL ? inputShapes[0].get(0) : 1));
    }

    /** Initial scale per group from the host values of the first data; null when they are all zeros. */
    abstract float[] initialScales(float[] values, int groups);

    /** Factor applied to the scale's gradient, given the number of values sharing one scale (see subclasses). */
    abstract double gradientScale(long valuesPerScale);

    /**
     * The fake-quantized {@code x}. {@code scale} broadcasts against {@code x}, carries the scaled gradient and,
     * like {@code x}, lives on the step's manager, so every result does.
     */
    abstract NDArray quantize(NDArray x, NDArray scale);

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!ready) {
            if (!training && zerosInTraining) {
                // an evaluation between training epochs never fits the scale to its data: it quantizes with the
                // scale the trained model will be settled to
                NDArray s = x.getManager().full(scale.getArray().getShape(), UNSEEN_SCALE);
                return new NDList(quantize(x, granularity == Granularity.CHANNEL
                        ? QuantOps.perChannel(s, x.getShape()) : s));
            }
            if (!tryInitialize(x)) {
                zerosInTraining |= training;
                return new NDList(x);
            }
        }
        NDArray p = ps.getValue(scale, x.getDevice(), training);
        NDArray s = QuantOps.scaleGradient(p, gradientScale(valuesPerScale(x.getShape())), x.getManager());
        if (granularity == Granularity.CHANNEL) {
            s = QuantOps.perChannel(s, x.getShape());
        }
        return new NDList(quantize(x, s));
    }

    /**
     * Values sharing one scale: a weight's values per tensor or per output channel; an activation's features per
     * sample (LSQ's N_F: the loss averages over the batch).
     */
    long valuesPerScale(Shape x) {
        if (role == TensorRole.ACTIVATION) {
            return x.size() / x.get(0);
        }
        return granularity == Granularity.CHANNEL ? x.size() / x.get(0) : x.size();
    }

    private boolean tryInitialize(NDArray x) {
        NDArray p = scale.getArray();
        if (!dataInitialized || anyNonZero(p.toFloatArray())) {
            ready = true;
            return true;
        }
        float[] init = initialScales(hostValues(x), Math.toIntExact(p.size()));
        if (init == null) {
            return false;
        }
        for (float f : init) {
            if (!(f > 0) || Float.isInfinite(f)) {
                throw new IllegalStateException(this + ": initial scale " + f + " is not positive and finite");
            }
        }
        p.set(init);
        ready = true;
        return true;
    }

    /** The values of {@code x}, per-tensor data thinned to at most {@link InitialScales#MAX_VALUES} by a stride. */
    private float[] hostValues(NDArray x) {
        long n = x.size();
        if (granularity == Granularity.CHANNEL || n <= InitialScales.MAX_VALUES) {
            return x.toFloatArray();
        }
        long stride = (n + InitialScales.MAX_VALUES - 1) / InitialScales.MAX_VALUES;
        try (NDManager tmp = x.getManager().newSubManager()) {
            NDArray flat = x.stopGradient();
            flat.attach(tmp);
            NDArray sample = flat.reshape(-1).get(new NDIndex("::{}", stride));
            sample.attach(tmp);
            return sample.toFloatArray();
        }
    }

    static boolean anyNonZero(float[] v) {
        for (float f : v) {
            if (f != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
