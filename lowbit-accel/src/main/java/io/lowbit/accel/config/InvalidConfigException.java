package io.lowbit.accel.config;

/** An accelerator configuration that cannot describe a buildable design; the message names the field and the limit. */
public final class InvalidConfigException extends IllegalArgumentException {

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidConfigException(message);
        }
    }

    static int inRange(int value, int lo, int hi, String field) {
        require(value >= lo && value <= hi, field + " = " + value + " is outside [" + lo + ", " + hi + "]");
        return value;
    }
}
