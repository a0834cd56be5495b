package io.lowbit.train.loop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a run directory ({@code .lock}, an OS file lock), held for as long as a training process
 * writes there: two processes resuming the same run would overwrite each other's checkpoints. The operating system
 * releases the lock when the process ends, however it ends, so a killed run leaves the file but never a stale lock.
 */
public final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dir} (which must exist), or fails at once, naming it, when another run holds it. */
    public static RunLock acquire(RunDirectory dir) throws IOException {
        Path file = dir.lock();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // held by this JVM
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("run directory " + dir.root() + " is in use by another training process (it holds "
                    + file + "); wait for it to finish or stop it");
        }
        return new RunLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
