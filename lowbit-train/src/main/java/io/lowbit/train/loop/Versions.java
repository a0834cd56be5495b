package io.lowbit.train.loop;

import ai.djl.engine.Engine;

/** One line naming the software that produced a result, for summaries and reports. */
public final class Versions {

    private Versions() {
    }

    public static String describe() {
        Engine e = Engine.getInstance();
        String commit = System.getProperty("lowbit.commit", "unknown");
        return "lowbit " + commit + ", Java " + Runtime.version() + ", DJL " + Engine.getDjlVersion() + ", "
                + e.getEngineName() + " " + e.getVersion() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores";
    }
}
