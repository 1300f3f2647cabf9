package de.werkraum.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads about processes from Linux and the JDK: CPU time from {@code /proc/<pid>/stat},
 * resident memory from {@code /proc/<pid>/status}, the machine's CPU from {@code /proc/stat}, and the heap
 * after a full collection through {@code jcmd}.
 */
final class ProcessProbe {

  static final long TICKS_PER_SECOND = clockTicks();
  static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final Pattern HEAP_LINE = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

  /** Heap in use right after a full GC, and the heap's committed size then (KiB). */
  record Heap(long usedKib, long committedKib) {
    static final Heap UNKNOWN = new Heap(-1, -1);
  }

  /** CPU ticks of the measured parties and of the whole machine at one instant. */
  record CpuSample(long nanos, long server, long generator, long postgres, long machineBusy, long machineSteal, long machineTotal) {

    /** Percent of one core used by each party between {@code start} and this sample. */
    CpuShare since(CpuSample start) {
      double seconds = (nanos - start.nanos) / 1e9;
      double perTick = 100.0 / TICKS_PER_SECOND / seconds;
      long total = Math.max(1, machineTotal - start.machineTotal);
      double machine = 100.0 * CORES * (machineBusy - start.machineBusy) / total;
      double steal = 100.0 * CORES * (machineSteal - start.machineSteal) / total;
      return new CpuShare((server - start.server) * perTick, (generator - start.generator) * perTick,
          (postgres - start.postgres) * perTick, machine, steal);
    }
  }

  /** Percent of one core (so up to 100 × cores): server, generator, PostgreSQL, whole machine, stolen by the hypervisor. */
  record CpuShare(double server, double generator, double postgres, double machine, double steal) {
    double others() {
      return Math.max(0, machine - server - generator - postgres);
    }
  }

  private ProcessProbe() {}

  static CpuSample sample(long serverPid, long postmasterPid) {
    long[] machine = machineTicks();
    return new CpuSample(System.nanoTime(), cpuTicks(serverPid), cpuTicks(ProcessHandle.current().pid()),
        treeCpuTicks(postmasterPid), machine[0], machine[1], machine[2]);
  }

  /** utime + stime of one process, 0 if it is gone. */
  static long cpuTicks(long pid) {
    String[] f = statFields(pid);
    return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * CPU of a process and all its current descendants, plus what its finished children used (cutime,
   * cstime): PostgreSQL's postmaster and its backends.
   */
  static long treeCpuTicks(long rootPid) {
    if (rootPid <= 0) {
      return 0;
    }
    String[] root = statFields(rootPid);
    if (root == null) {
      return 0;
    }
    long sum = Long.parseLong(root[11]) + Long.parseLong(root[12]) + Long.parseLong(root[13]) + Long.parseLong(root[14]);
    List<Long> children = new ArrayList<>();
    ProcessHandle.of(rootPid).ifPresent(h -> h.descendants().forEach(d -> children.add(d.pid())));
    for (long child : children) {
      sum += cpuTicks(child);
    }
    return sum;
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Runs a full GC in the process ({@code jcmd GC.run}), then reads {@code GC.heap_info}. */
  static Heap heapAfterGc(long pid) {
    if (jcmd(pid, "GC.run") == null) {
      return Heap.UNKNOWN;
    }
    String info = jcmd(pid, "GC.heap_info");
    if (info == null) {
      return Heap.UNKNOWN;
    }
    Matcher m = HEAP_LINE.matcher(info);
    return m.find() ? new Heap(Long.parseLong(m.group(2)), Long.parseLong(m.group(1))) : Heap.UNKNOWN;
  }

  private static String jcmd(long pid, String command) {
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path tool = javaHome.resolve("bin").resolve("jcmd");
    String exe = Files.isExecutable(tool) ? tool.toString() : "jcmd";
    try {
      Process p = new ProcessBuilder(exe, Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** busy (user, nice, system, irq, softirq, steal), steal, and total ticks of all CPUs. */
  static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, steal, busy + idle + iowait};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 1};
    }
  }

  /** The fields of /proc/pid/stat after the command name: [0] is the state, [11] utime, [12] stime, [13] cutime, [14] cstime. */
  private static String[] statFields(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
