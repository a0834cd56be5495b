package io.lowbit.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The training and test split of a CIFAR dataset, in memory.
 *
 * @param name  which dataset
 * @param kind  which labels {@code train} and {@code test} carry
 * @param train training images
 * @param test  test images
 */
public record CifarDataset(DatasetName name, LabelKind kind, LabeledImages train, LabeledImages test) {

    /** Validates that both splits have the number of classes of {@code name} and {@code kind}. */
    public CifarDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        int classes = name.numClasses(kind);
        if (train.numClasses() != classes || test.numClasses() != classes) {
            throw new IllegalArgumentException(name.displayName() + " " + kind + " has " + classes
                    + " classes, but the splits have " + train.numClasses() + " and " + test.numClasses());
        }
    }

    /**
     * Loads a dataset from {@code dataRoot/<folder name>}, downloading the official archive first if files are
     * missing and {@code allowDownload} is set.
     *
     * @throws DatasetNotFoundException if files are missing and cannot be downloaded; the message says which files,
     *                                  where, and how to get them
     * @throws InvalidDatasetException  if a file is present but corrupt
     * @throws IOException              if reading fails
     */
    public static CifarDataset load(DatasetName name, LabelKind kind, Path dataRoot, boolean allowDownload)
            throws IOException {
        Objects.requireNonNull(name, "name");
        DatasetSource source = allowDownload ? name.officialSource().orElse(null) : null;
        return load(name, kind, dataRoot, source, source == null ? null : CifarDownloader.create());
    }

    /**
     * Like {@link #load(DatasetName, LabelKind, Path, boolean)} with an explicit archive source, e.g. a mirror.
     *
     * @param downloadFrom archive to fetch when files are missing, or {@code null} to never download; it must unpack
     *                     to {@code name.folderName()}
     * @param downloader   downloader to use; may be {@code null} if {@code downloadFrom} is
     */
    public static CifarDataset load(DatasetName name, LabelKind kind, Path dataRoot, DatasetSource downloadFrom,
            CifarDownloader downloader) throws IOException {
        Objects.requireNonNull(name, "name");
        name.requireSupported(kind);
        Path root = dataRoot.toAbsolutePath().normalize();
        if (downloadFrom != null) {
            Objects.requireNonNull(downloader, "downloader");
            if (!downloadFrom.folderName().equals(name.folderName())) {
                throw new IllegalArgumentException(downloadFrom.archiveName() + " unpacks to "
                        + downloadFrom.folderName() + "/, but " + name.displayName() + " lives in "
                        + name.folderName() + "/");
            }
        }
        Path folder = root.resolve(name.folderName());
        DatasetFiles files = DatasetFiles.of(name, folder);
        List<String> missing = files.missing();
        if (!missing.isEmpty()) {
            if (downloadFrom == null) {
                throw notFound(name, folder, missing, null, null);
            }
            try {
                downloader.download(downloadFrom, root);
            } catch (IOException e) {
                throw notFound(name, folder, missing, downloadFrom, e);
            }
            files = DatasetFiles.of(name, folder);
            missing = files.missing();
            if (!missing.isEmpty()) {
                throw notFound(name, folder, missing, downloadFrom,
                        new IOException(downloadFrom.archiveName() + " was unpacked but lacks these files"));
            }
        }
        List<String> classNames = ClassNames.load(folder, name, kind);
        LabeledImages train = CifarReader.read(files.train(), name, kind, classNames);
        LabeledImages test = CifarReader.read(List.of(files.test()), name, kind, classNames);
        return new CifarDataset(name, kind, train, test);
    }

    /** Number of classes of the loaded labels. */
    public int numClasses() {
        return train.numClasses();
    }

    private static DatasetNotFoundException notFound(DatasetName name, Path folder, List<String> missing,
            DatasetSource triedSource, IOException downloadFailure) {
        StringBuilder message = new StringBuilder()
                .append(name.displayName()).append(" not found: missing ").append(String.join(", ", missing))
                .append(" in ").append(folder).append('.');
        if (downloadFailure != null) {
            message.append("\nDownloading ").append(triedSource.describe()).append(" failed: ")
                    .append(downloadFailure.getMessage());
        }
        String folderName = name.folderName() + "/";
        String hint = "point --data-dir or the " + DataDirectory.ENV_VAR + " environment variable at a directory "
                + "that contains " + folderName;
        DatasetSource source = triedSource != null ? triedSource : name.officialSource().orElse(null);
        if (source == null) {
            message.append("\n").append(name.displayName()).append(" cannot be downloaded: it is a small CIFAR-10 ")
                    .append("subset shipped with the lowbit workspace data (shared/data/").append(folderName)
                    .append("). Copy that folder into ").append(folder.getParent()).append(", or ").append(hint)
                    .append(". Use ").append(DatasetName.CIFAR10.id()).append(" for the full, downloadable set.");
        } else {
            message.append("\nTo fix: download ").append(source.describe()).append(" and unpack it in ")
                    .append(folder.getParent()).append(" (it contains ").append(folderName).append(")");
            if (triedSource == null) {
                message.append(", or enable downloading");
            }
            message.append(", or ").append(hint).append('.');
        }
        return new DatasetNotFoundException(message.toString(), folder, missing, downloadFailure);
    }
}
