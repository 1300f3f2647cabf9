package de.werkraum.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The room benchmark (issue "Discussion rooms", section Benchmark): the real server and a bare Vert.x
 * baseline, each in its own JVM, measured the same way in one go. For each series and each server: start
 * it, connect and join every participant (idle figures: heap after GC, RSS), then, for the real server,
 * the load scenario, then the step series of increasing delivered rates. Not a test; run by
 * {@code bench/rooms.sh}, which sets the environment read by {@link BenchSettings}.
 */
public final class RoomBench {

  private final BenchSettings settings;
  private final BenchDatabase db;
  private final Vertx vertx;
  private final Path work;
  private final Path logs;
  private final Path jar;
  private final List<Measurements.Idle> idles = new ArrayList<>();
  private final List<Measurements.Step> steps = new ArrayList<>();
  private final Map<String, List<String>> statements = new java.util.LinkedHashMap<>();

  private RoomBench(BenchSettings settings, BenchDatabase db, Vertx vertx, Path work, Path logs, Path jar) {
    this.settings = settings;
    this.db = db;
    this.vertx = vertx;
    this.work = work;
    this.logs = logs;
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    BenchSettings settings = BenchSettings.fromEnvironment(System.getenv());
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Files.createDirectories(settings.outDir());
    Path logs = settings.outDir().resolve("logs-" + stamp);
    Files.createDirectories(logs);
    Path work = Files.createTempDirectory("werkraum-bench");
    Cleanup cleanup = new Cleanup();
    cleanup.push(() -> deleteTree(work));
    Thread hook = new Thread(cleanup::run, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    long started = System.nanoTime();
    try {
      Path jar = work.resolve("werkraum.jar");
      // A copy, so a rebuild of target/ during the run does not change the server under test.
      Files.copy(settings.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
      say("fixture: embedded PostgreSQL, %d participants in %d rooms", settings.connections(), settings.rooms());
      long t0 = System.nanoTime();
      BenchDatabase db = BenchDatabase.start(work.resolve("db"), settings.connections(), settings.rooms());
      cleanup.push(db::close);
      if (settings.statementStats()) {
        db.enableStatementStats();
      }
      notePid(settings, "postgres", db.postmasterPid());
      say("fixture ready in %.1f s (postmaster pid %d)", (System.nanoTime() - t0) / 1e9, db.postmasterPid());
      Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(settings.loops())).build();
      cleanup.push(() -> LoadGenerator.await(vertx.close(), 30));
      RoomBench bench = new RoomBench(settings, db, vertx, work, logs, jar);
      bench.runAll(cleanup);
      double minutes = (System.nanoTime() - started) / 60e9;
      BenchReport report = new BenchReport(settings, bench.idles, bench.steps, bench.statements, minutes);
      String markdown = report.markdown();
      Path out = settings.outDir().resolve("rooms-" + stamp + ".md");
      Files.writeString(out, markdown);
      Files.writeString(settings.outDir().resolve("rooms-" + stamp + ".csv"), report.csv());
      System.out.println();
      System.out.println(markdown);
      say("summary written to %s (server logs in %s)", out, logs);
    } finally {
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs the same cleanup
      }
    }
  }

  private void runAll(Cleanup cleanup) throws Exception {
    for (int series = 1; series <= settings.series(); series++) {
      List<String> order = new ArrayList<>(settings.servers());
      if (series % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (String server : order) {
        runServer(server, series, cleanup);
      }
    }
  }

  /** One server, one series: start, connect, idle figures, load scenario (real), steps, stop. */
  private void runServer(String kind, int series, Cleanup cleanup) throws Exception {
    String label = kind + " #" + series;
    boolean real = kind.equals("real");
    if (real) {
      db.clearMessages();
    }
    int port = ServerProcess.freePort();
    Path log = logs.resolve(kind + "-" + series + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerProcess server;
    if (real) {
      Path data = work.resolve("server-data");
      Files.createDirectories(data);
      Map<String, String> env = new java.util.HashMap<>(settings.realServerEnv());
      env.putAll(Map.of("PORT", Integer.toString(port), "WERKRAUM_DATA", data.toString(), "WERKRAUM_DB_URL", db.url(),
          "WERKRAUM_PUBLIC_URL", "http://localhost:" + port));
      server = ServerProcess.start(label, List.of(java, "-Xmx" + settings.serverHeap(), "-jar", jar.toString()), env, log, port,
          settings.pidFile());
    } else {
      server = ServerProcess.start(label, List.of(java, "-Xmx" + settings.serverHeap(), "-cp", System.getProperty("java.class.path"),
          BareRoomServer.class.getName(), Integer.toString(port)), Map.of(), log, port, settings.pidFile());
    }
    cleanup.push(server::close);
    LoadGenerator gen = null;
    try {
      server.awaitHealthy(Duration.ofSeconds(120));
      ProcessProbe.Heap empty = ProcessProbe.heapAfterGc(server.pid());
      long rssEmpty = ProcessProbe.rssKib(server.pid());
      say("[%s] server pid %d on port %d; heap after GC %d MiB, RSS %d MiB", label, server.pid(), port,
          empty.usedKib() / 1024, rssEmpty / 1024);
      List<LoadLoop.Participant> participants = new ArrayList<>();
      for (int i = 0; i < settings.connections(); i++) {
        int room = i % settings.rooms();
        participants.add(new LoadLoop.Participant(i, room, db.roomId(room), db.token(i)));
      }
      String runTag = Long.toString(System.currentTimeMillis(), 36) + kind.charAt(0) + series;
      gen = LoadGenerator.deploy(vertx, settings.loops(), participants,
          new LoadLoop.Target("127.0.0.1", port, "http://localhost:" + port), runTag, settings.rooms());
      LoadGenerator.Connected connected = gen.connect(settings.connectInFlight(), Duration.ofSeconds(300));
      say("[%s] %d of %d connected and joined in %.1f s%s; other frames meanwhile: %d (%.1f MB)", label, connected.held(),
          settings.connections(), connected.seconds(), connected.failures().isEmpty() ? "" : ", failures " + connected.failures(),
          connected.otherFrames(), connected.otherChars() / 1e6);
      LoadGenerator.sleep(3000);
      ProcessProbe.Heap idle = ProcessProbe.heapAfterGc(server.pid());
      long rssIdle = ProcessProbe.rssKib(server.pid());
      Measurements.Idle idleResult = new Measurements.Idle(kind, series, connected.held(), connected.failed(), connected.seconds(),
          connected.failures(), empty.usedKib(), idle.usedKib(), rssEmpty, rssIdle, connected.otherFrames(), connected.otherChars());
      idles.add(idleResult);
      say("[%s] idle: %d held, heap after GC %d MiB (%.1f KiB per connection), RSS %d MiB", label, connected.held(),
          idle.usedKib() / 1024, idleResult.heapPerConnectionKib(), rssIdle / 1024);

      Stepper stepper = new Stepper(kind, series, server, gen);
      if (real && settings.scenarios().contains("load")) {
        Measurements.Step load = stepper.measured("load", settings.loadRate(), settings.warmupSeconds(), settings.measureSeconds(), true);
        steps.add(load);
      }
      if (settings.scenarios().contains("steps")) {
        boolean previousSlow = false;
        for (int rate : settings.stepRates()) {
          if (!server.isAlive()) {
            say("[%s] server ended; no further steps", label);
            break;
          }
          Measurements.Step s = stepper.measured("step", rate, settings.stepWarmupSeconds(), settings.stepMeasureSeconds(), false);
          steps.add(s);
          // Saturated: the backlog grows, sockets close, or p99 stays over a second two steps running
          // (one such step alone is often a noisy neighbour, not the server).
          boolean slow = s.latency().p99() > settings.saturatedP99Ms();
          if (s.deliveriesPerSecond() < 0.9 * rate || s.closes() > 0 || s.unanswered() > 0 || (slow && previousSlow)) {
            say("[%s] saturated at %d/s; higher steps skipped in this series", label, rate);
            break;
          }
          previousSlow = slow;
        }
      }
    } finally {
      if (gen != null) {
        gen.close();
      }
      server.close();
    }
  }

  /** Runs measured windows against one server over one generator, keeping the totals between them. */
  private final class Stepper {
    private final String kind;
    private final int series;
    private final ServerProcess server;
    private final LoadGenerator gen;
    private LoadGenerator.Totals last;

    Stepper(String kind, int series, ServerProcess server, LoadGenerator gen) {
      this.kind = kind;
      this.series = series;
      this.server = server;
      this.gen = gen;
      this.last = gen.drain(Duration.ofSeconds(1));
    }

    /**
     * One measured window; if processes other than ours took more than BENCH_NOISY_OTHERS % of a core
     * during it, the window is measured once more and the one with less foreign load is kept.
     */
    Measurements.Step measured(String scenario, int rate, int warmup, int measure, boolean heapAfter) throws SQLException {
      Measurements.Step first = step(scenario, rate, warmup, measure, heapAfter);
      if (first.cpu().others() <= settings.noisyOthersPercent()) {
        return first;
      }
      say("[%s #%d] others used %.0f %% of a core during %s %d/s; measuring it once more", kind, series, first.cpu().others(),
          scenario, rate);
      Measurements.Step second = step(scenario, rate, warmup, measure, heapAfter);
      return (second.cpu().others() < first.cpu().others() ? second : first).asRepeated();
    }

    private Measurements.Step step(String scenario, int rate, int warmup, int measure, boolean heapAfter) throws SQLException {
      waitForQuiet(server.pid());
      double posts = settings.postsFor(rate);
      gen.startPosting(posts);
      LoadGenerator.sleep(warmup * 1000L);
      if (kind.equals("real")) {
        db.resetStatementStats();
      }
      gen.openWindow();
      ProcessProbe.CpuSample c0 = ProcessProbe.sample(server.pid(), db.postmasterPid());
      LoadGenerator.sleep(measure * 1000L);
      ProcessProbe.CpuSample c1 = ProcessProbe.sample(server.pid(), db.postmasterPid());
      LoadGenerator.WindowResult w = gen.closeWindow();
      long rss = ProcessProbe.rssKib(server.pid());
      gen.stopPosting();
      if (kind.equals("real") && settings.statementStats()) {
        statements.put(kind + " #" + series + " " + scenario + " " + rate + "/s", db.topStatements(8));
      }
      LoadGenerator.Totals t = gen.drain(Duration.ofSeconds(settings.drainSeconds()));
      long heap = heapAfter ? ProcessProbe.heapAfterGc(server.pid()).usedKib() : -1;
      long lost = (t.gaps() - last.gaps()) + Math.max(0, t.outstanding() - last.outstanding());
      long unanswered = Math.max(0, (t.sent() - t.answered()) - (last.sent() - last.answered()));
      Map<String, Long> errorCodes = delta(t.errors(), last.errors());
      Map<Integer, Long> closeCodes = delta(t.closes(), last.closes());
      Measurements.Step s = new Measurements.Step(kind, series, scenario, rate, posts, w.seconds(),
          w.deliveries() / w.seconds(), w.delivery().summary(), w.ack().summary(), w.timerLag().summary(), w.postsSent(),
          lost, t.duplicates() - last.duplicates(), sum(errorCodes), errorCodes, sum(closeCodes), closeCodes, unanswered,
          c1.since(c0), rss, heap, java.util.Arrays.stream(w.worstBySecond()).map(us -> us / 1000).toArray(), false);
      last = t;
      LatencyHistogram.Summary l = s.latency();
      say("[%s #%d] %s %d/s: delivered %.0f/s p50 %.1f p95 %.1f p99 %.1f max %.0f ms | ack p99 %.1f ms | lost %d dup %d"
              + " errors %s closes %s unanswered %d | CPU %% server %.0f generator %.0f postgres %.0f others %.0f steal %.0f",
          kind, series, scenario, rate, s.deliveriesPerSecond(), l.p50(), l.p95(), l.p99(), l.max(), s.ack().p99(), s.lost(),
          s.duplicates(), errorCodes, closeCodes, unanswered, s.cpu().server(), s.cpu().generator(), s.cpu().postgres(),
          s.cpu().others(), s.cpu().steal());
      say("[%s #%d]   worst latency in each second (ms): %s", kind, series, java.util.Arrays.toString(s.worstBySecondMs()));
      return s;
    }
  }

  /**
   * The machine is shared: waits (up to BENCH_QUIET_WAIT seconds) until processes other than ours use
   * less than BENCH_QUIET_OTHERS % of a core, so that a step does not start in the middle of someone's build.
   */
  private void waitForQuiet(long serverPid) {
    long deadline = System.nanoTime() + settings.quietWaitSeconds() * 1_000_000_000L;
    while (true) {
      ProcessProbe.CpuSample a = ProcessProbe.sample(serverPid, db.postmasterPid());
      LoadGenerator.sleep(1000);
      double others = ProcessProbe.sample(serverPid, db.postmasterPid()).since(a).others();
      if (others <= settings.quietOthersPercent()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        say("machine still busy (others %.0f %% of a core); measuring anyway", others);
        return;
      }
    }
  }

  private static <K> Map<K, Long> delta(Map<K, Long> now, Map<K, Long> before) {
    Map<K, Long> d = new TreeMap<>();
    now.forEach((k, v) -> {
      long x = v - before.getOrDefault(k, 0L);
      if (x != 0) {
        d.put(k, x);
      }
    });
    return d;
  }

  private static <K> long sum(Map<K, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  static void say(String format, Object... args) {
    System.out.printf("%s %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), String.format(format, args));
    System.out.flush();
  }

  static void notePid(BenchSettings settings, String what, long pid) throws IOException {
    if (settings.pidFile() != null && pid > 0) {
      Files.writeString(settings.pidFile(), what + " " + pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** What was started, stopped in reverse order once: at the end, on failure, or from the shutdown hook (SIGTERM, Ctrl-C). */
  static final class Cleanup {
    private final Deque<AutoCloseable> stack = new ArrayDeque<>();

    synchronized void push(AutoCloseable c) {
      stack.push(c);
    }

    synchronized void run() {
      while (!stack.isEmpty()) {
        try {
          stack.pop().close();
        } catch (Exception e) {
          System.err.println("cleanup: " + e);
        }
      }
    }
  }
}
