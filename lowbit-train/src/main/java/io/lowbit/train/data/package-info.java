/**
 * CIFAR-10 and CIFAR-100 input pipeline in plain Java: locating, downloading, reading, augmenting and batching.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Path root = DataDirectory.resolve(dataDirFlag);            // --data-dir, else LOWBIT_DATA, else ~/.lowbit/data
 * CifarDataset ds = CifarDataset.load(DatasetName.CIFAR10, LabelKind.FINE, root, true);
 * Normalization norm = Normalization.forDataset(ds.name());
 * try (BatchLoader loader = BatchLoader.forEpoch(ds.train(), 128, true, true,
 *         Augmentation.STANDARD, norm, seed, epoch)) {
 *     while (loader.hasNext()) {
 *         Batch batch = loader.next();                        // NCHW floats + labels
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Images stay in memory as the uint8 bytes of the official binary files ({@link LabeledImages}); they are
 * converted to normalized floats only when a batch is assembled. The package deliberately has no dependency on a
 * tensor library, so that the same data can feed training and the integer inference engine.
 */
package io.lowbit.train.data;
