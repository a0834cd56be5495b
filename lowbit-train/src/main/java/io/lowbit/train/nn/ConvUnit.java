package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * The unit every model is built from: {@code conv → [BatchNorm] → [ReLU]}, with three optional
 * transform slots that quantization-aware training fills without touching the model definitions:
 * an input transform (activation fake-quant at the conv input, as CLIP-Q does), a weight transform
 * (weight fake-quant) and an output transform (activation fake-quant after the ReLU, as LSFQ/LSQ/PACT do).
 *
 * <p>Parameters: {@code weight} (outC, inC/groups, k, k); {@code bias} (outC) only without BN; with BN
 * {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar} (outC each). BN uses PyTorch's
 * conventions (eps 1e-5, running stats updated with momentum 0.1, biased batch variance for normalization),
 * so it can be folded exactly as {@link BnFolding} does.
 */
public final class ConvUnit extends AbstractBlock {

    /** PyTorch's BatchNorm2d epsilon. */
    public static final float BN_EPS = 1e-5f;
    /** Weight of the running statistics in DJL's convention; PyTorch's momentum 0.1. */
    private static final float DJL_BN_MOMENTUM = 0.9f;

    /**
     * How BatchNorm enters the forward pass. {@code BATCH}: conv, then BN with batch statistics in training and
     * running statistics in inference (float training). {@code FOLDED}: the deployment graph — BN is folded into
     * the conv with the frozen running statistics, {@code W' = W·γ/√(σ²+ε)}, {@code b' = β − γ·μ/√(σ²+ε)}, the
     * weight transform quantizes {@code W'}, and running statistics no longer change (γ, β and W still train).
     */
    public enum BnMode { BATCH, FOLDED }

    private final ConvSpec spec;
    private BnMode bnMode = BnMode.BATCH;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private Block inputTransform;
    private Block weightTransform;
    private UnaryOperator<NDArray> biasTransform;
    private Block outputTransform;

    public ConvUnit(ConvSpec spec) {
        this.spec = spec;
        int k = spec.kernel();
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(spec.outChannels(), spec.inChannels() / spec.groups(), k, k)).build());
        int c = spec.outChannels();
        if (spec.batchNorm()) {
            bias = null;
            gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                    .optShape(new Shape(c)).build());
            beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                    .optShape(new Shape(c)).build());
            runningMean = addParameter(Parameter.builder().setName("runningMean")
                    .setType(Parameter.Type.RUNNING_MEAN).optRequiresGrad(false).optShape(new Shape(c)).build());
            runningVar = addParameter(Parameter.builder().setName("runningVar")
                    .setType(Parameter.Type.RUNNING_VAR).optRequiresGrad(false).optShape(new Shape(c)).build());
        } else {
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(c)).build());
            gamma = beta = runningMean = runningVar = null;
        }
    }

    public ConvSpec spec() {
        return spec;
    }

    /** Installs the activation transform applied to this unit's input; only before initialization. */
    public ConvUnit setInputTransform(Block transform) {
        inputTransform = addChildBlock("inputTransform", transform);
        return this;
    }

    /**
     * Installs a transform of the bias (after BN folding), applied after the weight transform has run, e.g.
     * rounding onto the accumulator grid that depends on the weights' grid.
     */
    public ConvUnit setBiasTransform(UnaryOperator<NDArray> transform) {
        biasTransform = transform;
        return this;
    }

    /** The installed bias transform, or null. */
    public UnaryOperator<NDArray> biasTransform() {
        return biasTransform;
    }

    /** Installs the transform applied to the weight before the convolution; only before initialization. */
    public ConvUnit setWeightTransform(Block transform) {
        weightTransform = addChildBlock("weightTransform", transform);
        return this;
    }

    /** Installs the transform applied to the unit's output (after ReLU); only before initialization. */
    public ConvUnit setOutputTransform(Block transform) {
        outputTransform = addChildBlock("outputTransform", transform);
        return this;
    }

    public BnMode bnMode() {
        return bnMode;
    }

    /** Switches between float BN and the folded deployment graph; may be called at any time. */
    public void setBnMode(BnMode mode) {
        if (mode == BnMode.FOLDED && !spec.batchNorm()) {
            throw new IllegalStateException("layer " + spec.name() + " has no BatchNorm to fold");
        }
        bnMode = mode;
    }

    public Parameter weight() {
        return weight;
    }

    /** The conv bias, or {@code null} when the unit has BatchNorm (the bias is then folded from BN). */
    public Parameter bias() {
        return bias;
    }

    public Parameter gamma() {
        return gamma;
    }

    public Parameter beta() {
        return beta;
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return InferenceScope.run(training, inputs, () -> convolve(ps, inputs, training));
    }

    private NDList convolve(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        if (inputTransform != null) {
            x = inputTransform.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDManager step = x.getManager();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        boolean folded = spec.batchNorm() && bnMode == BnMode.FOLDED;
        if (folded) {
            NDArray scale = StepLocal.copy(ps.getValue(gamma, x.getDevice(), training), step)
                    .div(StepLocal.copy(ps.getValue(runningVar, x.getDevice(), training), step).add(BN_EPS).sqrt());
            w = StepLocal.copy(w, step).mul(scale.reshape(spec.outChannels(), 1, 1, 1));
            b = StepLocal.copy(ps.getValue(beta, x.getDevice(), training), step)
                    .sub(StepLocal.copy(ps.getValue(runningMean, x.getDevice(), training), step).mul(scale));
        }
        if (weightTransform != null) {
            w = weightTransform.forward(ps, new NDList(folded ? w : StepLocal.copy(w, step)), training)
                    .singletonOrThrow();
        }
        if (biasTransform != null && b != null) {
            b = biasTransform.apply(folded ? b : StepLocal.copy(b, step));
        }
        int s = spec.stride();
        int p = spec.padding();
        NDArray y = Conv2d.conv2d(x, w, b, new Shape(s, s), new Shape(p, p), new Shape(1, 1), spec.groups())
                .singletonOrThrow();
        if (spec.batchNorm() && !folded) {
            y = BatchNorm.batchNorm(y,
                    ps.getValue(runningMean, x.getDevice(), training),
                    ps.getValue(runningVar, x.getDevice(), training),
                    ps.getValue(gamma, x.getDevice(), training),
                    ps.getValue(beta, x.getDevice(), training),
                    1, DJL_BN_MOMENTUM, BN_EPS, training).singletonOrThrow();
        }
        if (spec.relu()) {
            y = Activation.relu(y);
        }
        if (outputTransform != null) {
            y = outputTransform.forward(ps, new NDList(y), training).singletonOrThrow();
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != spec.inChannels()) {
            throw new IllegalArgumentException("layer " + spec.name() + " expects (N, " + spec.inChannels()
                    + ", H, W) input, got " + in);
        }
        return new Shape[] {new Shape(in.get(0), spec.outChannels(),
                spec.outputSize((int) in.get(2)), spec.outputSize((int) in.get(3)))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        if (inputTransform != null) {
            inputTransform.initialize(manager, dataType, shapes);
        }
        if (weightTransform != null) {
            weightTransform.initialize(manager, dataType, weight.getShape());
        }
        if (outputTransform != null) {
            outputTransform.initialize(manager, dataType, getOutputShapes(shapes));
        }
    }

    @Override
    public String toString() {
        return "ConvUnit(" + spec + ")";
    }
}
