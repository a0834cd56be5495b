package io.lowbit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which checkpoints {@code lowbit search --init} accepts: float, or CLIP-Q in every layer. */
class SearchInitTest {

    @Test
    void clipQSpecsWithPerLayerOverridesAreAccepted() {
        assertTrue(SearchCommand.isClipQ("clipq:p=0.2,b=2,fmt=Q3.5"));
        assertTrue(SearchCommand.isClipQ("clipq:p=0.2,b=2,fmt=Q3.5;conv7=clipq:p=0.2962,b=3,fmt=Q3.5"));
    }

    @Test
    void otherMethodsAnywhereAreRejected() {
        assertFalse(SearchCommand.isClipQ("lsfq:w=4,a=4"));
        assertFalse(SearchCommand.isClipQ("fixed:fmt=Q3.5"));
        assertFalse(SearchCommand.isClipQ("clipq:p=0.2,b=2;first=fixed:fmt=Q3.5"));
        assertFalse(SearchCommand.isClipQ("clipq:p=0.2,b=2;conv1=lsq:w=8,a=8"));
    }
}
