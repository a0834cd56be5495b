package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DataDirectoryTest {

    private static final Path HOME = Path.of("/home/someone");
    private static final UnaryOperator<String> NO_ENV = name -> null;

    private static UnaryOperator<String> env(String value) {
        return Map.of(DataDirectory.ENV_VAR, value)::get;
    }

    @Test
    void flagWinsOverEnvironment() {
        var choice = DataDirectory.choose(Path.of("/flag"), env("/env"), HOME);
        assertEquals(new DataDirectory.Choice(Path.of("/flag"), DataDirectory.Origin.FLAG), choice);
        assertTrue(choice.describe().contains("--data-dir"), choice.describe());
    }

    @Test
    void environmentWinsOverDefault() {
        var choice = DataDirectory.choose(null, env("/env"), HOME);
        assertEquals(new DataDirectory.Choice(Path.of("/env"), DataDirectory.Origin.ENVIRONMENT), choice);
        assertTrue(choice.describe().contains("LOWBIT_DATA"), choice.describe());
    }

    @Test
    void defaultIsBelowTheHomeDirectory() {
        var choice = DataDirectory.choose(null, NO_ENV, HOME);
        assertEquals(new DataDirectory.Choice(Path.of("/home/someone/.lowbit/data"), DataDirectory.Origin.DEFAULT),
                choice);
        assertTrue(choice.describe().startsWith("/home/someone/.lowbit/data (default"), choice.describe());
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() {
        assertEquals(DataDirectory.Origin.DEFAULT, DataDirectory.choose(null, env("  "), HOME).origin());
        assertEquals(DataDirectory.Origin.DEFAULT, DataDirectory.choose(null, env(""), HOME).origin());
    }

    @Test
    void relativePathsBecomeAbsolute() {
        Path resolved = DataDirectory.choose(Path.of("data/../cifar"), NO_ENV, HOME).path();
        assertEquals(Path.of("cifar").toAbsolutePath(), resolved);
    }

    @Test
    void processFormUsesTheFlagWhenGiven() {
        assertEquals(Path.of("/x/y"), DataDirectory.resolve(Path.of("/x/y")));
        assertTrue(DataDirectory.describeSource(Path.of("/x/y")).contains("--data-dir"));
    }
}
