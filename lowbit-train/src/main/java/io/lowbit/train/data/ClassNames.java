package io.lowbit.train.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names: read from the dataset's metadata file when it is there, else the published defaults. */
final class ClassNames {

    static final List<String> CIFAR10 = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    static final List<String> CIFAR100_FINE = List.of(
            "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
            "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
            "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
            "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
            "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle",
            "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear",
            "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon",
            "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail",
            "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone",
            "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale",
            "willow_tree", "wolf", "woman", "worm");

    static final List<String> CIFAR100_COARSE = List.of(
            "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
            "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
            "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
            "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
            "vehicles_1", "vehicles_2");

    private ClassNames() {
    }

    static List<String> defaults(DatasetName name, LabelKind kind) {
        name.requireSupported(kind);
        if (name != DatasetName.CIFAR100) {
            return CIFAR10;
        }
        return kind == LabelKind.FINE ? CIFAR100_FINE : CIFAR100_COARSE;
    }

    /** The metadata file that names the classes, relative to the dataset folder. */
    static String metadataFile(DatasetName name, LabelKind kind) {
        name.requireSupported(kind);
        if (name != DatasetName.CIFAR100) {
            return "batches.meta.txt";
        }
        return kind == LabelKind.FINE ? "fine_label_names.txt" : "coarse_label_names.txt";
    }

    /**
     * Reads the class names from the metadata file in {@code folder}, one per line. Blank lines are skipped because the
     * official files end with several of them. Falls back to {@link #defaults} if the file does not exist.
     *
     * @throws InvalidDatasetException if the file exists but holds the wrong number of names
     */
    static List<String> load(Path folder, DatasetName name, LabelKind kind) throws IOException {
        Path file = folder.resolve(metadataFile(name, kind));
        if (!Files.isRegularFile(file)) {
            return defaults(name, kind);
        }
        if (Files.size(file) > 64 * 1024) {
            throw new InvalidDatasetException(file, "class-name file is " + Files.size(file)
                    + " bytes, far larger than a list of " + name.numClasses(kind) + " names");
        }
        List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        if (names.size() != name.numClasses(kind)) {
            throw new InvalidDatasetException(file, "expected " + name.numClasses(kind) + " class names (one per "
                    + "line), found " + names.size());
        }
        return names;
    }
}
