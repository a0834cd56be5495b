package io.lowbit.train.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantSpecTest {

    @Test
    void defaultFirstLastAndNamedOverrides() {
        QuantSpec s = QuantSpec.parse("lsfq:w=4,a=4; first=lsfq:w=8,a=8; last=float; stage2.*=lsq:w=3,a=3;"
                + " conv5=fixed:fmt=Q4.4");
        assertEquals("lsfq:w=8,a=8", s.schemeFor("conv1", true, false).toString());
        assertEquals("float", s.schemeFor("fc", false, true).toString());
        assertEquals("lsq:w=3,a=3", s.schemeFor("stage2.block1.convA", false, false).toString());
        assertEquals("fixed:fmt=Q4.4", s.schemeFor("conv5", false, false).toString());
        assertEquals("lsfq:w=4,a=4", s.schemeFor("conv6", false, false).toString());
        assertEquals(4, s.schemeFor("conv6", false, false).intParam("w", 8, 2, 8));
    }

    @Test
    void laterRulesWin() {
        QuantSpec s = QuantSpec.parse("fixed; conv*=float; conv3=fixed:fmt=Q2.6");
        assertTrue(s.schemeFor("conv2", false, false).isFloat());
        assertEquals("Q2.6", s.schemeFor("conv3", false, false).get("fmt", ""));
    }

    @Test
    void readsAFileWithComments(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("spec.txt");
        Files.writeString(f, "# CLIP-Q hardware variant\nclipq:p=0.2,b=2,fmt=Q3.5\nconv9=clipq:p=0.3,b=2 # last\n");
        QuantSpec s = QuantSpec.parse("@" + f);
        assertEquals("0.3", s.schemeFor("conv9", false, true).get("p", ""));
        assertEquals("0.2", s.schemeFor("conv1", true, false).get("p", ""));
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse("lsq:w4"))
                .getMessage().contains("'w4'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse("lsq:w=4,w=3"))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse("lsq;conv1:lsq"))
                .getMessage().contains("SELECTOR=SCHEME"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse(" ; "))
                .getMessage().contains("empty"));
        assertEquals(List.of("conv99"), QuantSpec.parse("fixed;conv99=float").unmatchedSelectors(
                List.of("conv1", "conv2")));
        QuantScheme s = QuantScheme.parse("fixed:fmt=Q3.5,bits=3");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FixedPointMethod().validate(s))
                .getMessage().contains("no parameter 'bits'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> QuantScheme.parse("lsq:w=9").intParam("w", 4, 2, 8)).getMessage().contains("outside [2, 8]"));
    }
}
