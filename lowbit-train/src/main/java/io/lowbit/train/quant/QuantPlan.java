package io.lowbit.train.quant;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.InputCodes;
import io.lowbit.train.data.InputEncoding;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.Networks;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.Pool2d;
import io.lowbit.train.nn.ResidualBlock;
import io.lowbit.train.quant.learned.GridQuantizer;
import io.lowbit.train.quant.learned.InputGrid;
import io.lowbit.train.quant.learned.LearnedGridBias;
import io.lowbit.train.quant.learned.PactQuantizer;
import io.lowbit.train.quant.learned.ScaledQuantizer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Installs fake quantizers into a freshly built (not yet initialized) model according to a {@link QuantSpec}.
 *
 * <p>Where: every conv/linear weight gets its layer's weight quantizer; every tensor the integer model will
 * store gets an activation quantizer <em>at its producer</em> — conv outputs (after ReLU), average-pool outputs
 * that feed another layer, and residual-block outputs — so that a tensor read by two consumers (a residual
 * shortcut and the next conv) is the same quantized tensor in training as in integer inference. Max pooling
 * needs none (it commutes with a monotone quantizer); the logits stay unquantized. Methods that quantize the
 * network input (CLIP-Q, fixed) also get an input quantizer on the first layer. Where a layer's input and
 * weights both lie on power-of-two grids (fixed, CLIP-Q), its bias is rounded onto the accumulator grid
 * ({@link AccumulatorGridBias}), so that the trained graph is exactly the integer model.
 *
 * <p>A first layer whose method leaves the network input float (the learned methods) may instead be fed the integer
 * model's input codes ({@link InputCodes}, by the data pipeline, {@link #networkInput}); its input grid is then known
 * and its bias is rounded onto {@code S_in·S_w[o]} like every other learned layer's ({@link LearnedGridBias}).
 */
public final class QuantPlan {

    private final Map<String, QuantScheme> schemes;
    private final List<ConvUnit> foldable;
    private final Map<Parameter, Double> parameterDecays;
    private final Map<Parameter, Float> parameterFloors;
    private final InputCodes inputCodes;

    private QuantPlan(Map<String, QuantScheme> schemes, List<ConvUnit> foldable,
            Map<Parameter, Double> parameterDecays, Map<Parameter, Float> parameterFloors, InputCodes inputCodes) {
        this.schemes = schemes;
        this.foldable = foldable;
        this.parameterDecays = Map.copyOf(parameterDecays);
        this.parameterFloors = Map.copyOf(parameterFloors);
        this.inputCodes = inputCodes;
    }

    /** The input codes the first layer is fed instead of the float normalized input, or null. */
    public InputCodes inputCodes() {
        return inputCodes;
    }

    /** What the data pipeline must feed this model: its {@link #inputCodes}, else the normalized pixels. */
    public InputEncoding networkInput(Normalization normalization) {
        return inputCodes != null ? inputCodes : normalization;
    }

    /** L2 decays of quantizer parameters the optimizer must apply (PACT's α), by parameter. */
    public Map<Parameter, Double> parameterDecays() {
        return parameterDecays;
    }

    /**
     * Lower bounds the optimizer holds learned quantization scales at ({@link ScaledQuantizer#MIN_SCALE}): a step or
     * clip level driven to 0 or below by too high a learning rate would otherwise divide by it or flip its grid.
     */
    public Map<Parameter, Float> parameterFloors() {
        return parameterFloors;
    }

    private static void collectFloors(Block b, Map<Parameter, Float> out) {
        if (b instanceof ScaledQuantizer sq) {
            out.put(sq.scaleParameter(), ScaledQuantizer.MIN_SCALE);
        }
        for (Block child : b.getChildren().values()) {
            collectFloors(child, out);
        }
    }

    private static void collectDecays(Block b, Map<Parameter, Double> out) {
        if (b instanceof PactQuantizer pq && pq.alphaDecay() > 0) {
            out.put(pq.alpha(), pq.alphaDecay());
        }
        for (Block child : b.getChildren().values()) {
            collectDecays(child, out);
        }
    }

    /** The scheme each conv/linear layer got, in forward order. */
    public Map<String, QuantScheme> schemes() {
        return schemes;
    }

    /** Conv units whose method trains on BN-folded weights (see {@link ConvUnit.BnMode#FOLDED}). */
    public List<ConvUnit> foldable() {
        return foldable;
    }

    /** Switches every foldable unit to the folded deployment graph, or back to float BN. */
    public void setFolded(boolean folded) {
        foldable.forEach(u -> u.setBnMode(folded ? ConvUnit.BnMode.FOLDED : ConvUnit.BnMode.BATCH));
    }

    /**
     * Settles every learned scale of a trained {@code net} for evaluation and export ({@link ScaledQuantizer#settle}):
     * returns, in forward order, the layers whose quantizer never saw a non-zero value in training and now holds
     * {@link ScaledQuantizer#UNSEEN_SCALE} ("block1.dw: Lsfq(ACTIVATION, …)"), for the caller to report.
     */
    public static List<String> settleScales(Block net) {
        List<String> unseen = new ArrayList<>();
        visitScales(net, "", q -> q.settle(), unseen);
        return unseen;
    }

    /**
     * The layers whose data-initialized scale has seen only zeros so far in training (labelled as by
     * {@link #settleScales}, which would give them {@link ScaledQuantizer#UNSEEN_SCALE}); training reports them.
     */
    public static List<String> uninitializedScales(Block net) {
        List<String> unseen = new ArrayList<>();
        visitScales(net, "", q -> !q.isScaleInitialized(), unseen);
        return unseen;
    }

    private static void visitScales(Block b, String layer, Predicate<ScaledQuantizer> select, List<String> out) {
        String here = b instanceof ConvUnit c ? c.spec().name()
                : b instanceof LinearUnit l ? l.name()
                : b instanceof ResidualBlock r ? r.name() : layer;
        if (b instanceof ScaledQuantizer q && select.test(q)) {
            out.add(here + ": " + q);
        }
        for (Block child : b.getChildren().values()) {
            visitScales(child, here, select, out);
        }
    }

    /** The plan of a model fed the float normalized input (or quantizing it itself: fixed, clipq). */
    public static QuantPlan apply(SequentialBlock net, QuantSpec spec) {
        return apply(net, spec, null);
    }

    /**
     * The plan of a model whose first layer, if its method leaves the network input float, is fed {@code inputCodes}
     * ({@code code·step}; null: the float input). The plan keeps the codes only where they apply.
     */
    public static QuantPlan apply(SequentialBlock net, QuantSpec spec, InputCodes inputCodes) {
        List<Block> units = Networks.units(net);
        List<String> names = new ArrayList<>();
        for (Block u : units) {
            names.add(u instanceof ConvUnit c ? c.spec().name() : ((LinearUnit) u).name());
        }
        List<String> unmatched = spec.unmatchedSelectors(names);
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("quantization overrides " + unmatched + " match no layer; layers are "
                    + names);
        }
        Map<String, QuantScheme> schemes = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            QuantScheme s = spec.schemeFor(names.get(i), i == 0, i == names.size() - 1);
            if (!s.isFloat()) {
                QuantMethods.forName(s.method()).validate(s);
            }
            schemes.put(names.get(i), s);
        }
        Walker w = new Walker(schemes, inputCodes);
        w.sequence(net, true);
        Map<Parameter, Double> decays = new IdentityHashMap<>();
        collectDecays(net, decays);
        Map<Parameter, Float> floors = new IdentityHashMap<>();
        collectFloors(net, floors);
        return new QuantPlan(schemes, w.foldable, decays, floors, w.inputCodesUsed ? inputCodes : null);
    }

    /** Walks the model in forward order, remembering the scheme and sign of the last produced tensor. */
    private static final class Walker {
        private final Map<String, QuantScheme> schemes;
        private final List<ConvUnit> foldable = new ArrayList<>();
        private QuantScheme last = QuantScheme.FLOAT;
        private boolean lastSigned = true;
        /** Fraction bits of the last produced tensor's fixed-point grid, or null when it has none. */
        private Integer lastFraction;
        /** The quantizer of the last produced tensor, or null. */
        private Block lastQuantizer;
        private boolean first = true;
        /** Fed to a first layer that leaves the network input float, or null. */
        private final InputCodes inputCodes;
        private boolean inputCodesUsed;

        Walker(Map<String, QuantScheme> schemes, InputCodes inputCodes) {
            this.schemes = schemes;
            this.inputCodes = inputCodes;
        }

        void sequence(SequentialBlock seq, boolean top) {
            List<Block> children = new ArrayList<>(seq.getChildren().values());
            for (int i = 0; i < children.size(); i++) {
                boolean networkOutput = top && i == children.size() - 1;
                block(children.get(i), networkOutput);
            }
        }

        void block(Block b, boolean networkOutput) {
            if (b instanceof ConvUnit c) {
                conv(c, networkOutput);
            } else if (b instanceof LinearUnit l) {
                linear(l);
            } else if (b instanceof Pool2d p) {
                if (p.kind() == Pool2d.Kind.AVG && !networkOutput && !last.isFloat()) {
                    Block aq = method(last).activationQuantizer(last, p.name(), lastSigned);
                    if (aq != null) {
                        p.setOutputTransform(aq);
                    }
                    lastFraction = fraction(aq);
                    lastQuantizer = aq;
                } else if (p.kind() == Pool2d.Kind.AVG) {
                    lastFraction = null;
                    lastQuantizer = null;
                }
            } else if (b instanceof ResidualBlock r) {
                residual(r);
            } else if (b instanceof SequentialBlock s) {
                sequence(s, false);
            } else {
                throw new IllegalArgumentException("cannot quantize a model containing " + b.getClass().getSimpleName()
                        + ": only ConvUnit, LinearUnit, Pool2d and ResidualBlock are supported");
            }
        }

        private void conv(ConvUnit c, boolean networkOutput) {
            QuantScheme s = schemes.get(c.spec().name());
            boolean wasFirst = first;
            first = false;
            if (s.isFloat()) {
                last = s;
                lastSigned = !c.spec().relu();
                lastFraction = null;
                lastQuantizer = null;
                return;
            }
            QuantMethod m = method(s);
            Integer inFraction = wasFirst ? null : lastFraction;
            Object inQuantizer = wasFirst ? null : lastQuantizer; // a Block, or the InputGrid of the input codes
            if (wasFirst && m.quantizesNetworkInput(s)) {
                Block iq = m.activationQuantizer(s, "input", true);
                c.setInputTransform(iq);
                inFraction = fraction(iq);
                inQuantizer = iq;
            } else if (wasFirst && inputCodes != null) {
                inQuantizer = new InputGrid(inputCodes);
                inputCodesUsed = true;
            }
            Block wq = m.weightQuantizer(s, c.spec().name(), c.spec().weightCount());
            if (wq != null) {
                c.setWeightTransform(wq);
                AccumulatorGridBias grid = biasGrid(inFraction, wq);
                if (grid != null) {
                    c.setBiasTransform(grid);
                } else if (learnedBias(inQuantizer, wq) && c.spec().batchNorm() && m.foldsBatchNorm(s)) {
                    // folded BN gives the bias the integer model adds; BN after the conv (bn=after) adds it later
                    c.setBiasTransform(new LearnedGridBias((GridQuantizer) inQuantizer, (GridQuantizer) wq));
                }
            }
            if (c.spec().batchNorm() && m.foldsBatchNorm(s)) {
                foldable.add(c);
            }
            boolean signed = !c.spec().relu();
            Block aq = networkOutput ? null : m.activationQuantizer(s, c.spec().name(), signed);
            if (aq != null) {
                c.setOutputTransform(aq);
            }
            last = s;
            lastSigned = signed;
            lastFraction = fraction(aq);
            lastQuantizer = aq;
        }

        private static boolean learnedBias(Object in, Block wq) {
            return in instanceof GridQuantizer && wq instanceof GridQuantizer && !(in instanceof FixedPointQuantizer);
        }

        /** The bias grid of a layer whose input has {@code inFraction} fraction bits and weights {@code wq}. */
        private static AccumulatorGridBias biasGrid(Integer inFraction, Block wq) {
            if (inFraction != null && wq instanceof FixedPointWeights w && w.onGrid()) {
                return new AccumulatorGridBias(inFraction, w);
            }
            return null;
        }

        private static Integer fraction(Block activationQuantizer) {
            return activationQuantizer instanceof FixedPointQuantizer f ? f.fractionBits() : null;
        }

        private void linear(LinearUnit l) {
            QuantScheme s = schemes.get(l.name());
            first = false;
            if (!s.isFloat()) {
                Block wq = method(s).weightQuantizer(s, l.name(), (long) l.inFeatures() * l.outFeatures());
                if (wq != null) {
                    l.setWeightTransform(wq);
                    AccumulatorGridBias grid = biasGrid(lastFraction, wq);
                    if (grid != null) {
                        l.setBiasTransform(grid);
                    } else if (learnedBias(lastQuantizer, wq)) {
                        l.setBiasTransform(new LearnedGridBias((GridQuantizer) lastQuantizer, (GridQuantizer) wq));
                    }
                }
            }
            last = s;
            lastSigned = true;
            lastFraction = null;
            lastQuantizer = null;
        }

        private void residual(ResidualBlock r) {
            QuantScheme before = last;
            boolean beforeSigned = lastSigned;
            Integer beforeFraction = lastFraction;
            Block beforeQuantizer = lastQuantizer;
            sequence(r.main(), false);
            QuantScheme mainScheme = last;
            if (r.projection() != null) {
                last = before;
                lastSigned = beforeSigned;
                lastFraction = beforeFraction;
                lastQuantizer = beforeQuantizer;
                conv(r.projection(), false);
            }
            last = mainScheme;
            lastSigned = !r.reluAfterAdd();
            lastFraction = null;
            lastQuantizer = null;
            if (!last.isFloat()) {
                Block aq = method(last).activationQuantizer(last, r.name(), lastSigned);
                if (aq != null) {
                    r.setOutputTransform(aq);
                }
                lastFraction = fraction(aq);
                lastQuantizer = aq;
            }
        }

        private static QuantMethod method(QuantScheme s) {
            return QuantMethods.forName(s.method());
        }
    }
}
