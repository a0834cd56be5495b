package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantMethods;
import io.lowbit.train.quant.QuantScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec names, keys, defaults and validation messages of the four methods. */
class LearnedMethodsTest {

    private static String rejection(String spec) {
        QuantScheme s = QuantScheme.parse(spec);
        return assertThrows(IllegalArgumentException.class, () -> QuantMethods.forName(s.method()).validate(s))
                .getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lsq:w=4,a=4,gran=channel",
        "lsq",
        "pact:w=2,a=8,alpha0=6",
        "dorefa:w=8,a=2",
        "dorefa:w=4,a=4,bn=after",
        "pact:bn=fold",
        "pact:w=2,a=2,wgrid=dorefa",
        "dorefa:w=7,wgrid=symmetric",
        "lsfq:w=3,a=3,gran=tensor,tau=0.05",
        "lsfq:w=3,a=3,lower=hard",
    })
    void validSpecsValidate(String spec) {
        QuantScheme s = QuantScheme.parse(spec);
        QuantMethods.forName(s.method()).validate(s);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lsq:w=4,b=2          | quantization method 'lsq' has no parameter 'b'",
        "dorefa:gran=channel  | quantization method 'dorefa' has no parameter 'gran'",
        "pact:tau=0.1         | quantization method 'pact' has no parameter 'tau'",
        "lsfq:alpha0=3        | quantization method 'lsfq' has no parameter 'alpha0'",
        "lsq:w=1              | lsq: w=1 is outside [2, 8]",
        "pact:a=9             | pact: a=9 is outside [2, 8]",
        "dorefa:a=four        | dorefa: a=four is not an integer",
        "lsfq:gran=row        | lsfq: gran=row is not tensor or channel",
        "lsfq:tau=0           | lsfq: tau=0 is outside [0.001, 10.0]",
        "lsfq:lower=firm      | lsfq: lower=firm is not soft or hard",
        "pact:alpha0=-1       | pact: alpha0=-1 is outside [0.01, 1000.0]",
        "dorefa:bn=before     | dorefa: bn=before is not fold or after",
        "lsq:bn=after         | quantization method 'lsq' has no parameter 'bn'",
        "pact:wgrid=odd       | pact: wgrid=odd is not symmetric or dorefa",
        "dorefa:w=8,wgrid=dorefa | dorefa: wgrid=dorefa stores w-bit levels in w+1 bits, so w is at most 7, got 8",
        "pact:bn=after,wgrid=dorefa | pact: wgrid=dorefa needs bn=fold (the levels are integers only with the"
            + " per-channel step of the folded weights)",
    })
    void invalidSpecsAreRejectedByName(String spec, String message) {
        String actual = rejection(spec);
        // unknown keys: QuantScheme.requireOnly appends "; it takes [...]" (in no fixed order)
        assertTrue(actual.equals(message) || actual.startsWith(message + "; it takes ["), actual);
    }

    @Test
    void defaultsAreFourBitsPerTensor() {
        QuantMethod lsq = QuantMethods.forName("lsq");
        QuantScheme s = QuantScheme.parse("lsq");
        LsqQuantizer w = (LsqQuantizer) lsq.weightQuantizer(s, "conv1", 100);
        assertEquals(new Grid(4, true), w.grid());
        assertEquals(Granularity.TENSOR, w.granularity());
        LsqQuantizer a = (LsqQuantizer) lsq.activationQuantizer(s, "conv1", false);
        assertEquals(new Grid(4, false), a.grid());
        LsfqQuantizer l = (LsfqQuantizer) QuantMethods.forName("lsfq").activationQuantizer(
                QuantScheme.parse("lsfq"), "conv1", true);
        assertEquals(0.1, l.tau(), 1e-7);
        assertEquals(new Grid(4, true), l.grid());
        PactQuantizer p = (PactQuantizer) QuantMethods.forName("pact").activationQuantizer(
                QuantScheme.parse("pact:a=3"), "conv1", false);
        assertEquals(new Grid(3, false), p.grid());
        assertInstanceOf(FoldedDorefaWeightQuantizer.class, QuantMethods.forName("pact").weightQuantizer(
                QuantScheme.parse("pact"), "conv1", 10));
        assertInstanceOf(DorefaWeightQuantizer.class, QuantMethods.forName("pact").weightQuantizer(
                QuantScheme.parse("pact:bn=after"), "conv1", 10));
    }

    /** Every learned method trains on folded weights; pact and dorefa keep BN after the conv with bn=after. */
    @Test
    void learnedMethodsFoldBatchNormUnlessToldNot() {
        assertTrue(QuantMethods.forName("lsq").foldsBatchNorm(QuantScheme.parse("lsq")));
        assertTrue(QuantMethods.forName("lsfq").foldsBatchNorm(QuantScheme.parse("lsfq")));
        assertTrue(QuantMethods.forName("pact").foldsBatchNorm(QuantScheme.parse("pact")));
        assertTrue(QuantMethods.forName("dorefa").foldsBatchNorm(QuantScheme.parse("dorefa:bn=fold")));
        assertFalse(QuantMethods.forName("pact").foldsBatchNorm(QuantScheme.parse("pact:bn=after")));
        assertFalse(QuantMethods.forName("dorefa").foldsBatchNorm(QuantScheme.parse("dorefa:w=4,bn=after")));
    }

    @Test
    void gridsAreSymmetricOrUnsigned() {
        Grid s4 = new Grid(4, true);
        assertEquals(7, s4.qp());
        assertEquals(7, s4.qn());
        assertEquals("int4", s4.type().toString());
        Grid u2 = new Grid(2, false);
        assertEquals(3, u2.qp());
        assertEquals(0, u2.qn());
        assertThrows(IllegalArgumentException.class, () -> new Grid(9, true));
    }
}
