package io.lowbit.train.quant;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frees and reuses direct memory between a forward and a backward pass: short-lived DJL scalars, collections,
 * then fresh buffers full of junk. A gradient that reads memory DJL already released (DJL 0.35.1's
 * {@code mul(Number)}) comes out different after this.
 */
public final class GcChurn {

    private GcChurn() {
    }

    public static void churn(NDManager m) throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2000; i++) {
                m.create(777f).close();
            }
            System.gc();
            Thread.sleep(50); // lets the cleaner thread free the collected buffers
            List<ByteBuffer> junk = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                junk.add(ByteBuffer.allocateDirect(4).putFloat(0, 1234f));
            }
        }
    }
}
