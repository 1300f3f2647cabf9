package de.werkraum.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server process of one data directory, found through its {@code postmaster.pid}: whether it
 * runs, and stopping it the way PostgreSQL documents (SIGINT = fast shutdown, then SIGQUIT = immediate, and
 * SIGKILL only as the last resort). A process counts as ours only if it is a {@code postgres} whose working
 * directory is the data directory (every PostgreSQL process changes into it), so a recycled pid is never hit.
 */
final class Postmaster {

  private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
  /** Whether this system shows processes under /proc (Linux): their working directory tells whose they are. */
  private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));
  static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(30);
  static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final Path pgData;

  Postmaster(Path pgData) {
    this.pgData = pgData;
  }

  Path pidFile() {
    return pgData.resolve("postmaster.pid");
  }

  /** The pid written in {@code postmaster.pid}, if the file is there and readable. */
  Optional<Long> recordedPid() {
    try {
      List<String> lines = Files.readAllLines(pidFile(), StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The living postmaster of this data directory, if any. */
  Optional<ProcessHandle> running() {
    return recordedPid().flatMap(ProcessHandle::of).filter(this::isOurs);
  }

  /** A living {@code postgres} process (postmaster or backend) of this data directory. */
  boolean isOurs(ProcessHandle p) {
    if (!p.isAlive()) {
      return false;
    }
    Path cwd = Path.of("/proc", Long.toString(p.pid()), "cwd");
    if (PROC) {
      try {
        return isPostgres(p) && Files.isSameFile(cwd, pgData);
      } catch (IOException notReadable) {
        return false;
      }
    }
    // Without /proc: the postmaster's command line names its data directory.
    return isPostgres(p) && p.info().arguments().map(a -> List.of(a).contains(pgData.toString())).orElse(false);
  }

  private static boolean isPostgres(ProcessHandle p) {
    // Backends rename themselves ("postgres: checkpointer"), so the executable path is what counts.
    return p.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(true);
  }

  /**
   * Stops a postmaster of this data directory left behind by a server that is gone, and waits until every
   * process of it has ended; removes a {@code postmaster.pid} whose process is not ours. Returns whether one ran.
   */
  boolean stopLeftover() throws IOException {
    Optional<ProcessHandle> left = running();
    if (left.isEmpty()) {
      removeStalePidFile();
      awaitNoBackends(IMMEDIATE_SHUTDOWN_WAIT);
      return false;
    }
    ProcessHandle p = left.get();
    LOG.warn("a PostgreSQL (pid {}) still runs on {} without a Werkraum; stopping it (fast shutdown)", p.pid(), pgData);
    stop(p);
    awaitNoBackends(IMMEDIATE_SHUTDOWN_WAIT);
    return true;
  }

  /** Fast shutdown, then immediate shutdown, then SIGKILL, each with its own wait. */
  void stop(ProcessHandle p) throws IOException {
    signal(p, "INT");
    if (awaitExit(p, FAST_SHUTDOWN_WAIT)) {
      return;
    }
    LOG.warn("PostgreSQL (pid {}) did not end after fast shutdown; immediate shutdown", p.pid());
    signal(p, "QUIT");
    if (awaitExit(p, IMMEDIATE_SHUTDOWN_WAIT)) {
      return;
    }
    LOG.warn("PostgreSQL (pid {}) did not end after immediate shutdown; killing it", p.pid());
    p.destroyForcibly();
    if (!awaitExit(p, IMMEDIATE_SHUTDOWN_WAIT)) {
      throw new IOException("cannot stop the PostgreSQL (pid " + p.pid() + ") running on " + pgData);
    }
  }

  /** A {@code postmaster.pid} naming a process that is not ours (ended, or its pid reused) only blocks a start. */
  void removeStalePidFile() throws IOException {
    Optional<Long> pid = recordedPid();
    if (pid.isPresent() && ProcessHandle.of(pid.get()).filter(this::isOurs).isEmpty()) {
      Files.deleteIfExists(pidFile());
      LOG.info("removed stale {} (pid {} is not a PostgreSQL of this folder)", pidFile(), pid.get());
    }
  }

  /**
   * Waits until no process of this data directory is left: after a postmaster was killed, its backends
   * still hold the shared memory for a moment, and a new postmaster refuses to start beside them.
   */
  void awaitNoBackends(Duration timeout) throws IOException {
    if (!PROC) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ProcessHandle.allProcesses().anyMatch(this::isOurs)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("processes of the PostgreSQL on " + pgData + " are still running");
      }
      sleep(100);
    }
  }

  private static boolean awaitExit(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !p.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  /** Java can send only SIGTERM and SIGKILL; PostgreSQL's shutdown modes need SIGINT and SIGQUIT. */
  private static void signal(ProcessHandle p, String signal) {
    Process kill;
    try {
      kill = new ProcessBuilder("sh", "-c", "kill -s \"$1\" \"$2\"", "sh", signal, Long.toString(p.pid()))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException noShell) {
      p.destroy(); // SIGTERM: PostgreSQL's smart shutdown, the best Java can send by itself
      return;
    }
    try {
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
