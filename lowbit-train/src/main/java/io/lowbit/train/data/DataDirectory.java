package io.lowbit.train.data;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Chooses the data directory, the parent of the dataset folders ({@code cifar-10-batches-bin/} etc.).
 *
 * <p>Precedence: the {@code --data-dir} flag, else the {@value #ENV_VAR} environment variable if set and not blank,
 * else {@code ~/.lowbit/data}. The returned path is absolute so that logs and error messages are unambiguous.
 */
public final class DataDirectory {

    /** Environment variable naming the data directory. */
    public static final String ENV_VAR = "LOWBIT_DATA";

    /** Where the data directory setting came from. */
    public enum Origin {
        /** The {@code --data-dir} flag. */
        FLAG,
        /** The {@value DataDirectory#ENV_VAR} environment variable. */
        ENVIRONMENT,
        /** Neither was given: {@code ~/.lowbit/data}. */
        DEFAULT
    }

    /**
     * The chosen directory and why.
     *
     * @param path   absolute, normalized data directory
     * @param origin which setting supplied it
     */
    public record Choice(Path path, Origin origin) {

        /** Validates the fields. */
        public Choice {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(origin, "origin");
        }

        /** A log line such as {@code /data (from LOWBIT_DATA)}. */
        public String describe() {
            return path + switch (origin) {
                case FLAG -> " (from --data-dir)";
                case ENVIRONMENT -> " (from " + ENV_VAR + ")";
                case DEFAULT -> " (default; set --data-dir or " + ENV_VAR + " to change)";
            };
        }
    }

    private DataDirectory() {
    }

    /** The data directory for this process: {@code flagValueOrNull}, else {@value #ENV_VAR}, else the default. */
    public static Path resolve(Path flagValueOrNull) {
        return choose(flagValueOrNull, System::getenv, Path.of(System.getProperty("user.home"))).path();
    }

    /** Says which setting {@link #resolve} used and the resulting path, for logs. */
    public static String describeSource(Path flagValueOrNull) {
        return choose(flagValueOrNull, System::getenv, Path.of(System.getProperty("user.home"))).describe();
    }

    /**
     * The pure form of {@link #resolve}: the environment and home directory are parameters.
     *
     * @param flagValueOrNull value of {@code --data-dir}, or {@code null} if not given
     * @param env             environment lookup, returning {@code null} for unset variables
     * @param userHome        the user's home directory
     */
    public static Choice choose(Path flagValueOrNull, UnaryOperator<String> env, Path userHome) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(userHome, "userHome");
        if (flagValueOrNull != null) {
            return new Choice(absolute(flagValueOrNull), Origin.FLAG);
        }
        String fromEnv = env.apply(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Choice(absolute(Path.of(fromEnv.strip())), Origin.ENVIRONMENT);
        }
        return new Choice(absolute(userHome.resolve(".lowbit").resolve("data")), Origin.DEFAULT);
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
