package io.lowbit.train.loop;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.InputEncoding;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model rebuilt from a checkpoint exactly as training left it: same architecture and width, the same
 * quantizers installed, BN folded if the last trained epoch was folded, weights loaded; {@link #networkInput} is
 * the input it trained on.
 */
public record TrainedModel(SequentialBlock net, QuantPlan plan, CheckpointMeta meta, List<String> unseenScales) {

    /**
     * @param unseenScales the layers whose learned scale never saw a non-zero value in training (a dead tensor),
     *                     settled to {@code ScaledQuantizer.UNSEEN_SCALE} ({@link QuantPlan#settleScales})
     */
    public TrainedModel {
        unseenScales = List.copyOf(unseenScales);
    }

    public TrainedModel(SequentialBlock net, QuantPlan plan, CheckpointMeta meta) {
        this(net, plan, meta, List.of());
    }

    public static TrainedModel load(Path checkpoint, int numClasses, NDManager manager) throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(checkpoint);
        TrainConfig cfg = meta.config();
        SequentialBlock net = Models.build(ModelSpec.of(cfg.model(), cfg.width(), numClasses));
        QuantPlan plan = cfg.quant() == null ? null
                : QuantPlan.apply(net, cfg.quantSpec(), cfg.inputCodes());
        Networks.initialize(net, manager, 0);
        Checkpoints.load(checkpoint, net, null, manager);
        List<String> unseen = List.of();
        if (plan != null) {
            plan.setFolded(meta.epochsDone() - 1 >= cfg.foldBnFromEpoch());
            unseen = QuantPlan.settleScales(net);
        }
        return new TrainedModel(net, plan, meta, unseen);
    }

    /**
     * What the data pipeline must feed this model, as in training: the input codes its first layer was trained on
     * ({@link QuantPlan#inputCodes}), else the pixels normalized by {@code normalization}.
     */
    public InputEncoding networkInput(Normalization normalization) {
        return plan == null ? normalization : plan.networkInput(normalization);
    }

    /**
     * A float checkpoint with quantizers installed after the fact (post-training quantization): the weights are
     * loaded as trained, BN is folded with the trained running statistics, and data-dependent quantizer scales
     * initialize from the first batch they see. It is fed the normalized input, as the float model trained.
     */
    public static TrainedModel quantizeFloat(Path checkpoint, int numClasses, QuantSpec spec, NDManager manager)
            throws IOException {
        CheckpointMeta meta = Checkpoints.readMeta(checkpoint);
        TrainConfig cfg = meta.config();
        if (cfg.quant() != null) {
            throw new IllegalArgumentException(checkpoint + " is already quantized (" + cfg.quant() + ")");
        }
        SequentialBlock net = Models.build(ModelSpec.of(cfg.model(), cfg.width(), numClasses));
        QuantPlan plan = QuantPlan.apply(net, spec);
        Networks.initialize(net, manager, 0);
        Checkpoints.loadWeights(checkpoint, net, manager);
        plan.setFolded(true);
        return new TrainedModel(net, plan, meta);
    }
}
