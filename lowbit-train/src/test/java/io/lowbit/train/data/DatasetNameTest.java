package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatasetNameTest {

    @ParameterizedTest
    @CsvSource({"cifar10, CIFAR10", "CIFAR10, CIFAR10", " Cifar10-Mini , CIFAR10_MINI", "cifar100, CIFAR100"})
    void parsesCommandLineNamesIgnoringCase(String text, DatasetName expected) {
        assertEquals(expected, DatasetName.parse(text));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetName.parse("cifar-10"));
        assertTrue(e.getMessage().contains("'cifar-10'"), e.getMessage());
        assertTrue(e.getMessage().contains("cifar10, cifar10-mini, cifar100"), e.getMessage());
    }

    @Test
    void classCountsFolderNamesAndRecordSizes() {
        assertEquals(10, DatasetName.CIFAR10.numClasses(LabelKind.FINE));
        assertEquals(10, DatasetName.CIFAR10_MINI.numClasses(LabelKind.FINE));
        assertEquals(100, DatasetName.CIFAR100.numClasses(LabelKind.FINE));
        assertEquals(20, DatasetName.CIFAR100.numClasses(LabelKind.COARSE));
        assertEquals("cifar-10-batches-bin", DatasetName.CIFAR10.folderName());
        assertEquals("cifar-10-mini", DatasetName.CIFAR10_MINI.folderName());
        assertEquals("cifar-100-binary", DatasetName.CIFAR100.folderName());
        assertEquals(3073, DatasetName.CIFAR10.recordBytes());
        assertEquals(3074, DatasetName.CIFAR100.recordBytes());
    }

    @Test
    void cifar10HasNoCoarseLabels() {
        assertFalse(DatasetName.CIFAR10.supports(LabelKind.COARSE));
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetName.CIFAR10.numClasses(LabelKind.COARSE));
        assertTrue(e.getMessage().contains("CIFAR-10"), e.getMessage());
    }

    @Test
    void onlyTheOfficialSetsCanBeDownloaded() {
        assertEquals(DatasetSource.CIFAR10, DatasetName.CIFAR10.officialSource().orElseThrow());
        assertEquals(DatasetSource.CIFAR100, DatasetName.CIFAR100.officialSource().orElseThrow());
        assertTrue(DatasetName.CIFAR10_MINI.officialSource().isEmpty());
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", DatasetSource.CIFAR10.md5());
        assertEquals("03b5dce01913d631647c71ecec9e9cb8", DatasetSource.CIFAR100.md5());
        assertEquals(DatasetName.CIFAR100.folderName(), DatasetSource.CIFAR100.folderName());
    }

    @Test
    void datasetSourceRejectsBadMd5AndPathLikeNames() {
        var url = DatasetSource.CIFAR10.url();
        assertThrows(IllegalArgumentException.class, () -> new DatasetSource(url, "abc", "a.tar.gz", "f"));
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource(url, DatasetSource.CIFAR10.md5(), "../a.tar.gz", "f"));
        assertThrows(IllegalArgumentException.class,
                () -> new DatasetSource(url, DatasetSource.CIFAR10.md5(), "a.tar.gz", "x/y"));
        assertEquals(DatasetSource.CIFAR10.md5(),
                new DatasetSource(url, DatasetSource.CIFAR10.md5().toUpperCase(Locale.ROOT), "a.tar.gz", "f").md5());
    }
}
