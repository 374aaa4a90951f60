package dev.keyline.platform.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Marks a data directory as used by a live Keyline: an OS file lock on {@code keyline.lock}, holding the owner's
 * pid. The OS drops the lock when the process dies, however it dies, so a lock that can be taken means that
 * whatever still runs on the directory (a PostgreSQL left by {@code kill -9}) belongs to nobody.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when a live Keyline holds the directory, naming its pid */
    static DataDirLock acquire(Path file, Path dataDir) {
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + file, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held in this very JVM
            }
            if (lock == null) {
                String holder =
                        Files.readString(file, StandardCharsets.US_ASCII).strip();
                channel.close();
                throw new IllegalStateException("Another Keyline (pid " + (holder.isEmpty() ? "unknown" : holder)
                        + ") is using the data directory " + dataDir + "; stop it first, or give this one its own"
                        + " KEYLINE_DATA_DIR.");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("Could not lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel (or the process ending) releases the lock anyway.
        }
    }
}
