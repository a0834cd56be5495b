package io.lowbit.cli;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Checkpoints;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.LrSchedule;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.search.BayesianOptimizer;
import io.lowbit.train.search.Dimension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code lowbit search}: CLIP-Q's per-layer (p, b) by Bayesian optimization, layer after layer, each evaluation a
 * short fine-tuning from the float model (docs/search.md). Resumable: the state is saved after every evaluation.
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Choose CLIP-Q's pruning rate p and bits b per layer by Gaussian-process Bayesian optimization, "
                + "minimizing error − λ·benefit after a short fine-tuning (benefit: bits saved, or simulated cycles "
                + "saved on --accel, or both). Writes RUN_DIR/search.json (resumable) and prints the resulting "
                + "--quant spec.",
        footer = {"", "Examples:",
            "  lowbit search --init runs/nin/best.lbck --run-dir runs/search --iterations 8",
            "  lowbit search --init runs/nin/best.lbck --run-dir runs/search --accel pynq-z2-clipq --benefit both",
            "  lowbit search --resume --run-dir runs/search"})
final class SearchCommand implements Callable<Integer> {

    /** The smallest b of the paper code's per-sign partition. */
    static final int MIN_BITS = 2;

    @Option(names = "--init", paramLabel = "CKPT", description = "The checkpoint every evaluation starts from: float, or CLIP-Q (its "
            + "shadow weights; docs/search.md)")
    Path init;

    @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Search directory")
    Path runDir;

    @Option(names = "--resume", description = "Continue the search in --run-dir")
    boolean resume;

    @Option(names = "--plot", description = "Only draw the search in --run-dir (search.png, or --png), evaluating "
            + "nothing")
    boolean plot;

    @Option(names = "--trained", paramLabel = "RUN_DIR", description = "With --plot: training runs to set beside the "
            + "search (final test accuracy vs the compression of their exported model.lbq; a float run as a line)")
    List<Path> trained;

    @Option(names = "--png", paramLabel = "FILE", description = "Where --plot draws (default: RUN_DIR/search.png)")
    Path png;

    @Option(names = "--layers", split = ",", description = "Layers to search, in order (default: all)")
    List<String> layers;

    @Option(names = "--iterations", defaultValue = "8", description = "Evaluations per layer (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--initial-points", defaultValue = "3",
            description = "Random evaluations per layer before the surrogate (default: ${DEFAULT-VALUE})")
    int initialPoints;

    @Option(names = "--p-max", defaultValue = "0.9", description = "Largest pruning rate (default: ${DEFAULT-VALUE})")
    double pMax;

    @Option(names = "--b-max", defaultValue = "4", description = "Largest bits (default: ${DEFAULT-VALUE})")
    int bMax;

    @Option(names = "--lambda", defaultValue = "1.0", description = "Weight of the benefit (default: ${DEFAULT-VALUE})")
    double lambda;

    @Option(names = "--size-budget", paramLabel = "FACTOR",
            description = "Total weight bits at most FACTOR × those of the uniform p=0.2, b=2 setting (≥ 1; 1.0: the "
                    + "same size); proposals outside a layer's allowance are never evaluated (default: no budget)")
    Double sizeBudget;

    @Option(names = "--benefit", defaultValue = "bits", description = "bits, cycles or both (default: ${DEFAULT-VALUE})")
    String benefit;

    @Option(names = "--accel", paramLabel = "PRESET|FILE",
            description = "Accelerator: b is limited to what its decoder takes; cycles come from its simulator")
    String accel;

    @Option(names = "--train-per-class", defaultValue = "100",
            description = "Fine-tuning images per class of each evaluation (default: ${DEFAULT-VALUE})")
    int trainPerClass;

    @Option(names = "--val-images", defaultValue = "2000",
            description = "Held-out training images (the last ones) the error is measured on (default: ${DEFAULT-VALUE})")
    int valImages;

    @Option(names = "--epochs", defaultValue = "1", description = "Fine-tuning epochs per evaluation (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the search and the fine-tuning")
    long seed;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    /**
     * The saved search: its settings, then per layer the optimizer state and the chosen (p, b), and every evaluation
     * (null in a search.json written before they were recorded: {@link SearchEvaluation#reconstruct}).
     */
    record SearchState(Map<String, Object> settings, List<String> layers, Map<String, Long> weights,
            Map<String, BayesianOptimizer.State> optimizers, Map<String, double[]> chosen, long cyclesRef,
            List<SearchEvaluation> evaluations) {
    }

    @Override
    public Integer call() throws Exception {
        Path stateFile = runDir.resolve("search.json");
        SearchState state;
        if (plot) {
            if (!Files.isRegularFile(stateFile)) {
                throw new IllegalArgumentException("nothing to plot: " + stateFile + " does not exist");
            }
            Path out = png != null ? png : runDir.resolve("search.png");
            List<SearchChart.Trained> runs = new ArrayList<>();
            for (Path t : trained == null ? List.<Path>of() : trained) {
                runs.add(SearchChart.Trained.read(t));
            }
            SearchState saved = load(stateFile);
            SearchChart.write(saved, evaluationsOf(saved), runs, out);
            System.out.println("wrote " + out);
            return 0;
        }
        if (trained != null || png != null) {
            throw new IllegalArgumentException("--trained and --png go with --plot");
        }
        if (resume) {
            if (!Files.isRegularFile(stateFile)) {
                throw new IllegalArgumentException("cannot resume: " + stateFile + " does not exist");
            }
            state = load(stateFile);
            applySettings(state.settings());
        } else {
            if (init == null) {
                throw new IllegalArgumentException("--init CKPT (a float checkpoint) is required for a new search");
            }
            if (Files.exists(stateFile)) {
                throw new IllegalArgumentException(runDir + " already holds a search; use --resume");
            }
            if (!List.of("bits", "cycles", "both").contains(benefit)) {
                throw new IllegalArgumentException("--benefit must be bits, cycles or both, got " + benefit);
            }
            if (!benefit.equals("bits") && accel == null) {
                throw new IllegalArgumentException("--benefit " + benefit + " needs --accel");
            }
            state = null;
        }
        TrainConfig floatCfg = Checkpoints.readMeta(init).config();
        // a CLIP-Q checkpoint holds full-precision shadow weights: evaluations then start from a model already
        // adapted to CLIP-Q (docs/search.md); other quantizers' learned scales would not carry over
        if (floatCfg.quant() != null && !isClipQ(floatCfg.quant())) {
            throw new IllegalArgumentException(init + " is quantized with " + floatCfg.quant() + "; search"
                    + " starts from a float or a CLIP-Q checkpoint");
        }
        DatasetName name = DatasetName.parse(floatCfg.dataset());
        CifarDataset ds = CifarDataset.load(name, TrainConfig.parseLabels(floatCfg.labels()), data.root(),
                !data.noDownload);
        LabeledImages validation = ClipQSearch.holdout(ds.train(), trainPerClass, valImages);
        AcceleratorConfig accelConfig = accel == null ? null : AcceleratorConfigs.resolve(accel);
        int bTop = Math.min(bMax, ClipQSearch.maxIndexBits(accelConfig));
        if (bTop < MIN_BITS) {
            throw new IllegalArgumentException("--b-max " + bMax + ": CLIP-Q needs b ≥ " + MIN_BITS);
        }
        if (state == null) {
            Map<String, Long> weights = layerWeights(floatCfg, ds.numClasses());
            List<String> order = layers != null ? layers : new ArrayList<>(weights.keySet());
            for (String l : order) {
                if (!weights.containsKey(l)) {
                    throw new IllegalArgumentException("no layer '" + l + "'; layers are " + weights.keySet());
                }
            }
            state = new SearchState(settings(), order, weights, new LinkedHashMap<>(), new LinkedHashMap<>(), 0,
                    new ArrayList<>());
        }
        SizeBudget budget = sizeBudget == null ? null : new SizeBudget(sizeBudget, state.weights());
        Files.createDirectories(runDir);
        TrainConfig base = new TrainConfig(floatCfg.model(), floatCfg.width(), floatCfg.dataset(), floatCfg.labels(),
                epochs, Math.min(floatCfg.batchSize(), trainPerClass * ds.numClasses()), floatCfg.optimizer(), new LrSchedule("cosine", lr, 0, epochs, List.of(),
                0.1), seed, trainPerClass, 100, true, floatCfg.evalBatchSize(), null,
                init.toAbsolutePath().toString(), 0);
        long totalWeights = state.weights().values().stream().mapToLong(Long::longValue).sum();
        ClipQSearch search = new ClipQSearch(base, validation, ClipQSearch.normalization(floatCfg.dataset()),
                data.root(), totalWeights, accelConfig, state.cyclesRef(), benefit, lambda);
        if (accelConfig != null && state.cyclesRef() == 0) {
            System.out.println("reference: the uniform setting p=0.2, b=2 on " + accelConfig.name());
            ClipQSearch.Outcome ref = search.evaluate(ClipQSearch.spec(0.2, 2, Map.of()), 0, 0.2, 2,
                    runDir.resolve("evals").resolve("reference"));
            state = new SearchState(state.settings(), state.layers(), state.weights(), state.optimizers(),
                    state.chosen(), ref.cycles(), state.evaluations());
            search = new ClipQSearch(base, validation, search.norm(), data.root(), totalWeights, accelConfig,
                    ref.cycles(), benefit, lambda);
            save(stateFile, state);
        }
        long start = System.nanoTime();
        for (String layer : state.layers()) {
            if (state.chosen().containsKey(layer)) {
                continue;
            }
            // b ≥ 2: the paper code's per-sign partition needs a level on each side; a decoder of 2-bit indexes
            // (the paper's) leaves only p to search
            List<Dimension> space = bTop > MIN_BITS ? List.of(new Dimension("p", 0, pMax, false),
                    new Dimension("b", MIN_BITS, bTop, true)) : List.of(new Dimension("p", 0, pMax, false));
            BayesianOptimizer bo = state.optimizers().containsKey(layer)
                    ? BayesianOptimizer.resume(state.optimizers().get(layer))
                    : new BayesianOptimizer(space, new BayesianOptimizer.Settings(initialPoints, 2000, 0.0,
                        seed + layer.hashCode()));
            Map<String, double[]> chosen = state.chosen();
            if (budget != null) {
                System.out.printf(Locale.ROOT, "%s: allowance %,.0f bits (uniform p=0.2, b=2: %,.0f)%n", layer,
                        budget.allowance(layer, chosen), SizeBudget.uniformBits(state.weights().get(layer)));
            }
            while (bo.observations().size() < iterations) {
                // the FPGA paper's uniform setting is always the first point: the search then never settles on a
                // setting that measured worse than it (random starts alone once left NIN's conv1 at p = 0.70)
                double[] point = bo.observations().isEmpty() && pMax >= 0.2 ? uniformPoint(space.size())
                        : budget == null ? bo.ask() : bo.ask(q -> budget.fits(layer, theta(q), chosen));
                double[] theta = theta(point);
                Map<String, double[]> perLayer = new LinkedHashMap<>(state.chosen());
                perLayer.put(layer, theta);
                int k = bo.observations().size() + 1;
                ClipQSearch.Outcome o = search.evaluate(ClipQSearch.spec(0.2, 2, perLayer),
                        state.weights().get(layer), theta[0], (int) theta[1],
                        runDir.resolve("evals").resolve(layer + "-" + k));
                bo.tell(point, o.objective());
                state.optimizers().put(layer, bo.state());
                if (state.evaluations() != null) {
                    state.evaluations().add(new SearchEvaluation(layer, k, theta[0], (int) theta[1], o.error(),
                            o.bitBenefit(), o.cycleBenefit(), o.cycles(),
                            ClipQSearch.modelBits(state.weights(), perLayer)));
                }
                save(stateFile, state);
                System.out.printf(Locale.ROOT, "%s %d/%d: p=%.3f b=%d → validation error %.2f%%, bits saved %.2f%%"
                        + "%s, objective %.4f (best %.4f) [%.0f s elapsed]%n", layer, k, iterations, theta[0],
                        (int) theta[1], 100 * o.error(), 100 * o.bitBenefit(), accelConfig == null ? ""
                                : String.format(Locale.ROOT, ", cycles %,d", o.cycles()), o.objective(),
                        bo.best().value(), (System.nanoTime() - start) / 1e9);
            }
            state.chosen().put(layer, theta(bo.best().point()));
            save(stateFile, state);
            drawIfRecorded(state);
        }
        String quant = ClipQSearch.spec(0.2, 2, state.chosen());
        if (budget != null) {
            System.out.printf(Locale.ROOT, "weight bits %,.0f of the budget %,.0f (%.3f × uniform)%n",
                    budget.bits(state.chosen()), budget.totalBits(), budget.bits(state.chosen())
                            / budget.totalBits() * budget.factor());
        }
        CheckpointFile.writeAtomically(runDir.resolve("result.txt"), (quant + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.println("searched per-layer settings (--quant for lowbit train):");
        System.out.println("  " + quant);
        return 0;
    }

    /** Reads search.json; evaluations a bits-benefit search saved before they were recorded are reconstructed. */
    private static SearchState load(Path stateFile) throws java.io.IOException {
        SearchState s = Json.MAPPER.readValue(stateFile.toFile(), SearchState.class);
        if (s.evaluations() != null || !"bits".equals(s.settings().get("benefit"))) {
            return s; // a null list of another benefit stays null: nothing recorded, nothing drawn
        }
        return new SearchState(s.settings(), s.layers(), s.weights(), s.optimizers(), s.chosen(), s.cyclesRef(),
                new ArrayList<>(SearchEvaluation.reconstruct(s)));
    }

    private static List<SearchEvaluation> evaluationsOf(SearchState s) {
        return s.evaluations() != null ? s.evaluations() : SearchEvaluation.reconstruct(s); // throws, saying why
    }

    /** search.png after each layer: the progress of a long search as a picture. */
    private void drawIfRecorded(SearchState state) throws java.io.IOException {
        if (state.evaluations() != null && !state.evaluations().isEmpty()) {
            SearchChart.write(state, state.evaluations(), List.of(), runDir.resolve("search.png"));
        }
    }

    /** Whether every layer of {@code quant} is CLIP-Q. */
    static boolean isClipQ(String quant) {
        for (String part : quant.split(";")) {
            int eq = part.indexOf('=');
            boolean override = eq >= 0 && eq < part.indexOf(':'); // "layer=method:…"
            if (!(override ? part.substring(eq + 1) : part).strip().startsWith("clipq")) {
                return false;
            }
        }
        return true;
    }

    /** The uniform setting {@code p = 0.2, b = 2} as a point of a search space of {@code dims} dimensions. */
    private static double[] uniformPoint(int dims) {
        return dims > 1 ? new double[] {0.2, MIN_BITS} : new double[] {0.2};
    }

    /** {@code (p, b)} of a proposal; a space without a {@code b} dimension has the decoder's 2 bits. */
    private static double[] theta(double[] point) {
        return new double[] {point[0], point.length > 1 ? point[1] : MIN_BITS};
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("init", init.toAbsolutePath().toString());
        s.put("iterations", iterations);
        s.put("initialPoints", initialPoints);
        s.put("pMax", pMax);
        s.put("bMax", bMax);
        s.put("lambda", lambda);
        s.put("benefit", benefit);
        s.put("sizeBudget", sizeBudget);
        s.put("accel", accel);
        s.put("trainPerClass", trainPerClass);
        s.put("valImages", valImages);
        s.put("epochs", epochs);
        s.put("lr", lr);
        s.put("seed", seed);
        s.put("command", CommandLines.current(spec));
        return s;
    }

    /** A resumed search keeps its settings; only --iterations may grow. */
    private void applySettings(Map<String, Object> s) {
        init = Path.of((String) s.get("init"));
        int requested = iterations;
        boolean iterationsGiven = spec.commandLine().getParseResult().hasMatchedOption("--iterations");
        iterations = ((Number) s.get("iterations")).intValue();
        if (iterationsGiven) {
            iterations = Math.max(iterations, requested);
        }
        initialPoints = ((Number) s.get("initialPoints")).intValue();
        pMax = ((Number) s.get("pMax")).doubleValue();
        bMax = ((Number) s.get("bMax")).intValue();
        lambda = ((Number) s.get("lambda")).doubleValue();
        benefit = (String) s.get("benefit");
        sizeBudget = s.get("sizeBudget") == null ? null : ((Number) s.get("sizeBudget")).doubleValue();
        accel = (String) s.get("accel");
        trainPerClass = ((Number) s.get("trainPerClass")).intValue();
        valImages = ((Number) s.get("valImages")).intValue();
        epochs = ((Number) s.get("epochs")).intValue();
        lr = ((Number) s.get("lr")).doubleValue();
        seed = ((Number) s.get("seed")).longValue();
    }

    private static Map<String, Long> layerWeights(TrainConfig cfg, int classes) {
        SequentialBlock net = Models.build(ModelSpec.of(cfg.model(), cfg.width(), classes));
        Map<String, Long> w = new LinkedHashMap<>();
        for (Block b : Networks.units(net)) {
            if (b instanceof ConvUnit c) {
                w.put(c.spec().name(), c.spec().weightCount());
            } else if (b instanceof LinearUnit l) {
                w.put(l.name(), (long) l.inFeatures() * l.outFeatures());
            }
        }
        return w;
    }

    private static void save(Path file, SearchState state) throws java.io.IOException {
        CheckpointFile.writeAtomically(file, Json.MAPPER.writeValueAsBytes(state));
    }
}
