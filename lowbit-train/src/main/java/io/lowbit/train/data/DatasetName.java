package io.lowbit.train.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** The supported datasets, their on-disk folders and record formats. */
public enum DatasetName {
    /** CIFAR-10, official binary version: 50,000 training and 10,000 test images. */
    CIFAR10("cifar10", "CIFAR-10", "cifar-10-batches-bin", 1, DatasetSource.CIFAR10),
    /**
     * A CIFAR-10 subset shipped with the lowbit workspace for quick runs and tests (2,000 training and 1,000 test
     * images). Same format and folder layout as {@link #CIFAR10}; training uses every {@code data_batch_*.bin} present.
     * It cannot be downloaded.
     */
    CIFAR10_MINI("cifar10-mini", "CIFAR-10 mini", "cifar-10-mini", 1, null),
    /** CIFAR-100, official binary version: 50,000 training and 10,000 test images with fine and coarse labels. */
    CIFAR100("cifar100", "CIFAR-100", "cifar-100-binary", 2, DatasetSource.CIFAR100);

    private final String id;
    private final String displayName;
    private final String folderName;
    private final int labelBytes;
    private final DatasetSource officialSource;

    DatasetName(String id, String displayName, String folderName, int labelBytes, DatasetSource officialSource) {
        this.id = id;
        this.displayName = displayName;
        this.folderName = folderName;
        this.labelBytes = labelBytes;
        this.officialSource = officialSource;
    }

    /**
     * Parses a command-line name: {@code cifar10}, {@code cifar10-mini} or {@code cifar100}, ignoring case and
     * surrounding blanks.
     *
     * @throws IllegalArgumentException if the name is unknown; the message lists the valid names
     */
    public static DatasetName parse(String text) {
        Objects.requireNonNull(text, "dataset name");
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (DatasetName name : values()) {
            if (name.id.equals(wanted)) {
                return name;
            }
        }
        throw new IllegalArgumentException("Unknown dataset '" + text + "'; valid names: " + validNames());
    }

    /** The valid names for {@link #parse}, comma-separated (for help texts). */
    public static String validNames() {
        return Arrays.stream(values()).map(DatasetName::id).collect(Collectors.joining(", "));
    }

    /** The command-line name, e.g. {@code cifar10-mini}. */
    public String id() {
        return id;
    }

    /** The human-readable name, e.g. {@code CIFAR-10}. */
    public String displayName() {
        return displayName;
    }

    /** The folder below the data directory that holds the files, e.g. {@code cifar-10-batches-bin}. */
    public String folderName() {
        return folderName;
    }

    /** Whether records of this dataset carry labels of the given kind. */
    public boolean supports(LabelKind kind) {
        return kind == LabelKind.FINE || this == CIFAR100;
    }

    /**
     * The number of classes for the given label kind.
     *
     * @throws IllegalArgumentException if the dataset has no such labels (coarse labels of CIFAR-10)
     */
    public int numClasses(LabelKind kind) {
        requireSupported(kind);
        if (this != CIFAR100) {
            return 10;
        }
        return kind == LabelKind.FINE ? 100 : 20;
    }

    /** Bytes per record: the label byte(s) followed by {@link LabeledImages#IMAGE_BYTES} pixel bytes. */
    public int recordBytes() {
        return labelBytes + LabeledImages.IMAGE_BYTES;
    }

    /** Number of label bytes at the start of each record: 1 for CIFAR-10, 2 (coarse, fine) for CIFAR-100. */
    public int labelBytes() {
        return labelBytes;
    }

    /** Offset of the wanted label inside a record. CIFAR-100 stores the coarse label first, then the fine one. */
    int labelOffset(LabelKind kind) {
        requireSupported(kind);
        return this == CIFAR100 && kind == LabelKind.FINE ? 1 : 0;
    }

    /** The official archive, or empty if the dataset cannot be downloaded ({@link #CIFAR10_MINI}). */
    public Optional<DatasetSource> officialSource() {
        return Optional.ofNullable(officialSource);
    }

    void requireSupported(LabelKind kind) {
        Objects.requireNonNull(kind, "label kind");
        if (!supports(kind)) {
            throw new IllegalArgumentException(displayName + " has no " + kind + " labels; only CIFAR-100 has "
                    + "coarse (superclass) labels");
        }
    }
}
