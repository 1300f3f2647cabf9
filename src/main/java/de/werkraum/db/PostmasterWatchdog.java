package de.werkraum.db;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded PostgreSQL when this JVM ends without stopping it (kill -9, OOM kill, crash). PostgreSQL
 * runs daemonised, so nothing in the kernel ends it with us, and Java cannot set a parent-death signal on a
 * child. Instead a small POSIX shell child waits on a pipe whose only writer is this JVM: the kernel closes
 * it when the JVM dies in any way, {@code read} returns, and the shell gives the postmaster a fast shutdown
 * (then immediate, then SIGKILL) — only if that pid is still a PostgreSQL of our data directory. A clean stop
 * writes {@code release} first, and the shell leaves.
 */
final class PostmasterWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostmasterWatchdog.class);

  private static final String SCRIPT = String.join("\n",
      "read -r line",
      "[ \"$line\" = release ] && exit 0",
      "pid=$1; dir=$2",
      "ours() { kill -0 \"$pid\" 2>/dev/null && { [ ! -d /proc/self ] || [ /proc/\"$pid\"/cwd -ef \"$dir\" ]; }; }",
      "ours || exit 0",
      "kill -s INT \"$pid\"",
      "n=0; while ours && [ $n -lt 30 ]; do sleep 1; n=$((n+1)); done",
      "ours && kill -s QUIT \"$pid\"",
      "n=0; while ours && [ $n -lt 10 ]; do sleep 1; n=$((n+1)); done",
      "ours && kill -s KILL \"$pid\"",
      "exit 0");

  private final Process shell;
  private final OutputStream pipe;

  private PostmasterWatchdog(Process shell) {
    this.shell = shell;
    this.pipe = shell == null ? null : shell.getOutputStream();
  }

  /** Starts the watchdog; without a POSIX shell there is none (and only the next start stops a left-over). */
  static PostmasterWatchdog watch(long postmasterPid, Path pgData) {
    try {
      Process shell = new ProcessBuilder("sh", "-c", SCRIPT, "werkraum-pg-watchdog", Long.toString(postmasterPid), pgData.toString())
          // Never a pipe back to us: once we are gone, writing to one would kill the shell before it acts.
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      LOG.debug("watchdog pid {} for PostgreSQL pid {}", shell.pid(), postmasterPid);
      return new PostmasterWatchdog(shell);
    } catch (IOException noShell) {
      LOG.warn("no POSIX shell for the PostgreSQL watchdog ({}); after a hard kill, the next start stops the "
          + "PostgreSQL left running", noShell.getMessage());
      return new PostmasterWatchdog(null);
    }
  }

  /** True while the watchdog runs (always, when there can be none). */
  boolean isAlive() {
    return shell == null || shell.isAlive();
  }

  /** The database is being stopped (or is gone) by us: the watchdog leaves without touching it. */
  @Override
  public void close() {
    if (shell == null) {
      return;
    }
    try {
      pipe.write("release\n".getBytes(StandardCharsets.US_ASCII));
      pipe.close();
    } catch (IOException alreadyGone) {
      // the shell ended already
    }
  }
}
