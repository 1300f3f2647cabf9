package de.werkraum.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proof that this process is the one Werkraum using a data folder: an OS lock on {@code werkraum.lock}, held
 * until {@link #close()} or until the process ends in any way (the kernel drops it even after {@code kill -9}).
 * Whatever PostgreSQL runs on a folder whose lock we hold has no living Werkraum and may be stopped.
 */
final class DataFolderLock implements AutoCloseable {

  static final String FILE_NAME = "werkraum.lock";

  /**
   * Folders locked by this JVM. A second attempt from the same JVM must not even open the file: POSIX drops
   * every lock a process holds on a file when any of its descriptors of that file is closed.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path folder;
  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(Path folder, FileChannel channel, FileLock lock) {
    this.folder = folder;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks the folder, or fails with {@link DataFolderInUseException} if another living Werkraum holds it. */
  static DataFolderLock acquire(Path folder) throws IOException {
    Path dir = folder.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE_NAME);
    if (!HELD.add(dir)) {
      throw new DataFolderInUseException(dir, ProcessHandle.current().pid());
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new DataFolderInUseException(dir, holder(file));
      }
      // The holder's pid, for the message a second server prints.
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new DataFolderLock(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      HELD.remove(dir);
      if (channel != null && channel.isOpen()) {
        channel.close();
      }
      throw e;
    }
  }

  private static long holder(Path file) {
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      HELD.remove(folder);
    }
  }

  /** Another running Werkraum (this process or another) owns the data folder. */
  static final class DataFolderInUseException extends IOException {
    DataFolderInUseException(Path folder, long pid) {
      super("The data folder " + folder + " is in use by another running Werkraum"
          + (pid > 0 ? " (process " + pid + ")" : "")
          + ". Stop that server first, or give this one its own WERKRAUM_DATA.");
    }
  }
}
