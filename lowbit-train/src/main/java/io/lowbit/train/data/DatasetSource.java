package io.lowbit.train.data;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a dataset archive can be downloaded from and what it unpacks to.
 *
 * <p>The official sources are constants; tests and mirrors create their own.
 *
 * @param url         location of the {@code .tar.gz} archive
 * @param md5         expected MD5 of the archive, 32 hex digits (stored in lower case)
 * @param archiveName file name of the archive, used for temporary files and messages
 * @param folderName  top-level folder the archive unpacks to, e.g. {@code cifar-10-batches-bin}
 */
public record DatasetSource(URI url, String md5, String archiveName, String folderName) {

    // Declared before the constants below, whose construction uses them.
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    // A single path element: the names end up in paths under the data directory.
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** The official CIFAR-10 binary archive (about 163 MB). */
    public static final DatasetSource CIFAR10 = new DatasetSource(
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            "c32a1d4ab5d03f1284b67883e8d87530", "cifar-10-binary.tar.gz", "cifar-10-batches-bin");

    /** The official CIFAR-100 binary archive (about 161 MB). */
    public static final DatasetSource CIFAR100 = new DatasetSource(
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"),
            "03b5dce01913d631647c71ecec9e9cb8", "cifar-100-binary.tar.gz", "cifar-100-binary");

    /** Validates the fields and normalizes the MD5 to lower case. */
    public DatasetSource {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(archiveName, "archiveName");
        Objects.requireNonNull(folderName, "folderName");
        md5 = md5.toLowerCase(Locale.ROOT);
        if (!MD5.matcher(md5).matches()) {
            throw new IllegalArgumentException("md5 must be 32 hex digits, got '" + md5 + "'");
        }
        if (!PLAIN_NAME.matcher(archiveName).matches() || !PLAIN_NAME.matcher(folderName).matches()) {
            throw new IllegalArgumentException("archiveName and folderName must be plain file names, got '"
                    + archiveName + "' and '" + folderName + "'");
        }
    }

    /** One line for error messages: archive name, URL and MD5. */
    public String describe() {
        return archiveName + " from " + url + " (MD5 " + md5 + ")";
    }
}
