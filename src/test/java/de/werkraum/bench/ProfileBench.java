package de.werkraum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The profile benchmark (issue "Project profiles", section Benchmark): N simulated editors on one profile,
 * each editing {@code BENCH_EDIT_RATE} times a second, N stepping up until the remote-arrival p95 passes
 * the stop limit; then {@code BENCH_CLOSED_EDITORS} editors editing again as soon as their last edit is
 * committed (closed loop), for the committed ops per second on one profile. The real server runs in its own
 * JVM on its own embedded PostgreSQL (fsync and synchronous_commit on). Not a test; run by
 * {@code bench/profiles.sh}.
 */
public final class ProfileBench {

  /** What one measured window gave. */
  record Step(String scenario, int series, int editors, double seconds, long edits, long submits, long acks, long versions,
      LatencyHistogram.Summary ack, LatencyHistogram.Summary remote, Map<String, Long> errors, Map<Integer, Long> closes,
      ProcessProbe.CpuShare cpu, long serverRssKib, long generatorHeapKib, String converged, long badStamps) {

    double committedPerSecond() {
      return versions / seconds;
    }
  }

  private final Map<String, String> env;
  private final BenchDatabase db;
  private final Path jar;
  private final Path logs;
  private final Path work;
  private final Vertx vertx;
  private final List<Step> results = new ArrayList<>();
  private final long epoch = System.nanoTime();

  private ProfileBench(Map<String, String> env, BenchDatabase db, Path jar, Path logs, Path work, Vertx vertx) {
    this.env = env;
    this.db = db;
    this.jar = jar;
    this.logs = logs;
    this.work = work;
    this.vertx = vertx;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Path out = Path.of(env.getOrDefault("BENCH_OUT", "target/bench"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path logs = out.resolve("profile-logs-" + stamp);
    Files.createDirectories(logs);
    Path work = Files.createTempDirectory("werkraum-bench-profiles");
    RoomBench.Cleanup cleanup = new RoomBench.Cleanup();
    cleanup.push(() -> RoomBench.deleteTree(work));
    Thread hook = new Thread(cleanup::run, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    long started = System.nanoTime();
    try {
      Path jar = work.resolve("werkraum.jar");
      Files.copy(Path.of(env.getOrDefault("BENCH_JAR", "target/werkraum.jar")), jar, StandardCopyOption.REPLACE_EXISTING);
      List<Integer> steps = ints(env.getOrDefault("BENCH_EDITORS", "25,50,100,150,200,300,400,500"));
      int closedEditors = integer(env, "BENCH_CLOSED_EDITORS", 20);
      int most = Math.max(closedEditors, steps.stream().mapToInt(Integer::intValue).max().orElse(0));
      RoomBench.say("fixture: embedded PostgreSQL, %d members of one space", most);
      BenchDatabase db = BenchDatabase.start(work.resolve("db"), most, 1);
      cleanup.push(db::close);
      Path pidFile = env.get("BENCH_PID_FILE") == null ? null : Path.of(env.get("BENCH_PID_FILE"));
      if (pidFile != null) {
        Files.writeString(pidFile, "postgres " + db.postmasterPid() + "\n", java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(integer(env, "BENCH_LOOPS", 2))).build();
      cleanup.push(() -> LoadGenerator.await(vertx.close(), 30));
      ProfileBench bench = new ProfileBench(env, db, jar, logs, work, vertx);
      bench.run(steps, closedEditors, cleanup, pidFile);
      String markdown = bench.report((System.nanoTime() - started) / 60e9);
      Path file = out.resolve("profiles-" + stamp + ".md");
      Files.writeString(file, markdown);
      System.out.println();
      System.out.println(markdown);
      RoomBench.say("summary written to %s (server logs in %s)", file, logs);
    } finally {
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs the same cleanup
      }
    }
  }

  private void run(List<Integer> steps, int closedEditors, RoomBench.Cleanup cleanup, Path pidFile) throws Exception {
    int series = integer(env, "BENCH_SERIES", 3);
    List<String> scenarios = List.of(env.getOrDefault("BENCH_SCENARIOS", "steps,closed").split(","));
    double stopP95 = Double.parseDouble(env.getOrDefault("BENCH_STOP_P95_MS", "2000"));
    for (int s = 1; s <= series; s++) {
      int port = ServerProcess.freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path data = work.resolve("server-data");
      Files.createDirectories(data);
      Map<String, String> serverEnv = new HashMap<>(Map.of("PORT", Integer.toString(port), "WERKRAUM_DATA", data.toString(),
          "WERKRAUM_DB_URL", db.url(), "WERKRAUM_PUBLIC_URL", "http://localhost:" + port,
          // The closed loop edits as fast as the server commits, far beyond a person's typing (the default limit).
          "WERKRAUM_WRITE_LIMITS", env.getOrDefault("BENCH_WRITE_LIMITS", "profile_submit=off")));
      List<String> command = new ArrayList<>(List.of(java, "-Xmx" + env.getOrDefault("BENCH_SERVER_HEAP", "1g")));
      for (String opt : env.getOrDefault("BENCH_SERVER_OPTS", "").split(" ")) {
        if (!opt.isBlank()) {
          command.add(opt);
        }
      }
      command.addAll(List.of("-jar", jar.toString()));
      ServerProcess server = ServerProcess.start("real #" + s, command, serverEnv, logs.resolve("server-" + s + ".log"), port, pidFile);
      cleanup.push(server::close);
      try {
        server.awaitHealthy(Duration.ofSeconds(120));
        RoomBench.say("[series %d] server pid %d on port %d", s, server.pid(), port);
        if (scenarios.contains("steps")) {
          for (int n : steps) {
            Step step = measure("open", s, n, server, false);
            results.add(step);
            if (!server.isAlive() || step.remote().p95() > stopP95 || step.ack().p95() > stopP95) {
              RoomBench.say("[series %d] p95 over %.0f ms at %d editors; higher steps skipped", s, stopP95, n);
              break;
            }
          }
        }
        if (scenarios.contains("closed") && server.isAlive()) {
          results.add(measure("closed", s, closedEditors, server, true));
        }
      } finally {
        server.close();
      }
    }
  }

  /** One window: a fresh profile, {@code n} editors open it, edit, stop, converge, compare with the server. */
  private Step measure(String scenario, int series, int n, ServerProcess server, boolean closed) throws Exception {
    long profile = db.createProfile();
    int loopCount = integer(env, "BENCH_LOOPS", 2);
    List<List<ProfileEditorLoop.Editor>> shares = new ArrayList<>();
    for (int i = 0; i < loopCount; i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      shares.get(i % loopCount).add(new ProfileEditorLoop.Editor(i, db.token(i)));
    }
    List<ProfileEditorLoop> loops = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (List<ProfileEditorLoop.Editor> share : shares) {
      ProfileEditorLoop loop = new ProfileEditorLoop(share, profile, "127.0.0.1", server.port(), "http://localhost:" + server.port(), epoch);
      ids.add(LoadGenerator.await(vertx.deployVerticle(loop), 30));
      loops.add(loop);
    }
    String label = String.format(Locale.ROOT, "[series %d] %s, %d editors", series, scenario, n);
    try {
      String runTag = Long.toString(System.currentTimeMillis(), 36);
      long t0 = System.nanoTime();
      each(loops, l -> l.openAll(runTag), 120);
      RoomBench.say("%s: all opened the profile in %.1f s", label, (System.nanoTime() - t0) / 1e9);
      double rate = Double.parseDouble(env.getOrDefault("BENCH_EDIT_RATE", "5"));
      each(loops, l -> l.startEditing(rate, closed), 30);
      LoadGenerator.sleep(1000L * integer(env, closed ? "BENCH_CLOSED_WARMUP" : "BENCH_STEP_WARMUP", 5));
      for (ProfileEditorLoop.State warm : each(loops, l -> l.state(false), 30)) {
        if (!warm.errors().isEmpty() || !warm.closes().isEmpty()) {
          RoomBench.say("%s: during the warm-up: errors %s, closes %s", label, warm.errors(), warm.closes());
        }
      }
      each(loops, ProfileEditorLoop::resetWindow, 30);
      long versionsBefore = each(loops, l -> l.state(false), 30).stream().mapToLong(ProfileEditorLoop.State::maxVersion).max().orElse(0);
      ProcessProbe.CpuSample cpu0 = ProcessProbe.sample(server.pid(), db.postmasterPid());
      long w0 = System.nanoTime();
      LoadGenerator.sleep(1000L * integer(env, closed ? "BENCH_CLOSED_MEASURE" : "BENCH_STEP_MEASURE", 20));
      List<ProfileEditorLoop.State> states = each(loops, l -> l.state(false), 30);
      double seconds = (System.nanoTime() - w0) / 1e9;
      ProcessProbe.CpuShare cpu = ProcessProbe.sample(server.pid(), db.postmasterPid()).since(cpu0);
      long rss = ProcessProbe.rssKib(server.pid());
      Runtime rt = Runtime.getRuntime();
      long genHeap = (rt.totalMemory() - rt.freeMemory()) / 1024;
      each(loops, ProfileEditorLoop::stopEditing, 30);
      LatencyHistogram ack = new LatencyHistogram();
      LatencyHistogram remote = new LatencyHistogram();
      Map<String, Long> errors = new TreeMap<>();
      Map<Integer, Long> closes = new TreeMap<>();
      long edits = 0;
      long submits = 0;
      long acks = 0;
      long versionsAfter = 0;
      long bad = 0;
      for (ProfileEditorLoop.State st : states) {
        ack.add(st.ack());
        remote.add(st.remote());
        st.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
        st.closes().forEach((k, v) -> closes.merge(k, v, Long::sum));
        edits += st.edits();
        submits += st.submits();
        acks += st.acks();
        versionsAfter = Math.max(versionsAfter, st.maxVersion());
        bad += st.badStamps();
      }
      String converged = converge(loops, server.port(), profile, label);
      Step step = new Step(scenario, series, n, seconds, edits, submits, acks, versionsAfter - versionsBefore, ack.summary(),
          remote.summary(), errors, closes, cpu, rss, genHeap, converged, bad);
      RoomBench.say("%s: %.0f edits/s, %.0f committed ops/s; ack p50/p95/p99 %.1f/%.1f/%.1f ms; remote p50/p95/p99 %.1f/%.1f/%.1f ms;"
              + " errors %s, closes %s; CPU server %.0f%%, generator %.0f%%, PostgreSQL %.0f%%; converged: %s", label,
          edits / seconds, step.committedPerSecond(), step.ack().p50(), step.ack().p95(), step.ack().p99(), step.remote().p50(),
          step.remote().p95(), step.remote().p99(), errors, closes, cpu.server(), cpu.generator(), cpu.postgres(), converged);
      return step;
    } finally {
      try {
        each(loops, ProfileEditorLoop::closeAll, 30);
      } catch (RuntimeException e) {
        RoomBench.say("%s: closing: %s", label, e.getMessage());
      }
      for (String id : ids) {
        LoadGenerator.await(vertx.undeploy(id), 30);
      }
    }
  }

  /**
   * After the editing stopped: waits until every editor's edits are committed and every editor has the
   * last version, then compares every editor's text with the server's. "yes", or what differs.
   */
  private String converge(List<ProfileEditorLoop> loops, int port, long profile, String label) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(integer(env, "BENCH_CONVERGE_SECONDS", 120)).toNanos();
    while (true) {
      List<ProfileEditorLoop.State> states = each(loops, l -> l.state(false), 30);
      long lowest = each(loops, ProfileEditorLoop::lowestVersion, 30).stream().mapToLong(Long::longValue).min().orElse(0);
      long highest = states.stream().mapToLong(ProfileEditorLoop.State::maxVersion).max().orElse(0);
      int unsettled = states.stream().mapToInt(s -> s.open() - s.settled()).sum();
      boolean allSettled = states.stream().allMatch(s -> s.settled() >= s.open());
      if (allSettled && lowest == highest) {
        break;
      }
      if (System.nanoTime() > deadline) {
        return "no (after " + integer(env, "BENCH_CONVERGE_SECONDS", 120) + " s: " + unsettled + " editors with unsent edits, versions "
            + lowest + ".." + highest + ")";
      }
      LoadGenerator.sleep(200);
    }
    JsonObject server = fetchProfile(port, profile, db.token(0));
    String expected = server.getLong("version") + ":" + de.werkraum.profile.DeltaCodec.read(
        server.getJsonObject("fields").getJsonArray(ProfileEditorLoop.FIELD)).text();
    int differ = 0;
    int editors = 0;
    for (ProfileEditorLoop.State st : each(loops, l -> l.state(true), 30)) {
      for (String text : st.texts()) {
        editors++;
        if (!text.equals(expected)) {
          differ++;
        }
      }
    }
    if (differ > 0) {
      RoomBench.say("%s: %d of %d editors differ from the server", label, differ, editors);
      return "no (" + differ + " of " + editors + " differ)";
    }
    return "yes";
  }

  private static JsonObject fetchProfile(int port, long profile, String cookie) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/profiles/" + profile))
        .header("Cookie", "werkraum_session=" + cookie).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET /api/profiles/" + profile + " answered " + response.statusCode());
    }
    return new JsonObject(response.body());
  }

  private static <T> List<T> each(List<ProfileEditorLoop> loops, Function<ProfileEditorLoop, Future<T>> action, long seconds) {
    return GeneratorLoop.onEach(loops, action, seconds);
  }

  // --- report -------------------------------------------------------------------------------------

  private String report(double minutes) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Profile benchmark, %s (%.1f min)%n%n", LocalDateTime.now().format(
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")), minutes));
    md.append(String.format(Locale.ROOT, "Edit rate %s/s per editor (open loop); warm-up %s s, measured %s s per step; %d cores; "
            + "generator, server and PostgreSQL on the same machine.%n%n", env.getOrDefault("BENCH_EDIT_RATE", "5"),
        env.getOrDefault("BENCH_STEP_WARMUP", "5"), env.getOrDefault("BENCH_STEP_MEASURE", "20"), ProcessProbe.CORES));
    md.append("| series | scenario | editors | edits/s | committed ops/s | ack p50 / p95 / p99 ms | remote p50 / p95 / p99 ms"
        + " | errors | closes | CPU % server / gen / PG / machine | server RSS MiB | converged |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Step s : results) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %d | %,.0f | %,.0f | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %s | %s | %.0f / %.0f / %.0f / %.0f | %d | %s |%n",
          s.series(), s.scenario(), s.editors(), s.edits() / s.seconds(), s.committedPerSecond(), s.ack().p50(), s.ack().p95(),
          s.ack().p99(), s.remote().p50(), s.remote().p95(), s.remote().p99(), s.errors().isEmpty() ? "0" : s.errors(),
          s.closes().isEmpty() ? "0" : s.closes(), s.cpu().server(), s.cpu().generator(), s.cpu().postgres(), s.cpu().machine(),
          s.serverRssKib() / 1024, s.converged()));
    }
    md.append("\n## Medians over the series\n\n");
    md.append("| scenario | editors | runs | committed ops/s | ack p95 ms | remote p50 ms | remote p95 ms | remote p99 ms | all converged |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    Map<String, List<Step>> groups = new java.util.LinkedHashMap<>();
    results.stream().sorted(java.util.Comparator.comparing(Step::scenario).reversed().thenComparingInt(Step::editors))
        .forEach(s -> groups.computeIfAbsent(s.scenario() + ":" + s.editors(), k -> new ArrayList<>()).add(s));
    for (List<Step> g : groups.values()) {
      Step first = g.get(0);
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,.0f | %.1f | %.1f | %.1f | %.1f | %s |%n", first.scenario(), first.editors(),
          g.size(), median(g, Step::committedPerSecond), median(g, s -> s.ack().p95()), median(g, s -> s.remote().p50()),
          median(g, s -> s.remote().p95()), median(g, s -> s.remote().p99()),
          g.stream().allMatch(s -> s.converged().equals("yes")) ? "yes" : "no"));
    }
    return md.toString();
  }

  private static double median(List<Step> steps, java.util.function.ToDoubleFunction<Step> f) {
    double[] v = steps.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(Integer.parseInt(s.trim()));
      }
    }
    return out;
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }
}
