package de.werkraum.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one benchmark run does, read from the environment (bench/rooms.sh sets the values of a quick run). */
record BenchSettings(
    int series,
    int connections,
    int rooms,
    int loadRate,
    List<Integer> stepRates,
    int warmupSeconds,
    int measureSeconds,
    int stepWarmupSeconds,
    int stepMeasureSeconds,
    int drainSeconds,
    int quietWaitSeconds,
    double quietOthersPercent,
    double noisyOthersPercent,
    int loops,
    int connectInFlight,
    String serverHeap,
    Map<String, String> realServerEnv,
    double p99LimitMs,
    double saturatedP99Ms,
    List<String> servers,
    Set<String> scenarios,
    Path jar,
    Path outDir,
    Path pidFile,
    boolean statementStats,
    boolean quick) {

  static BenchSettings fromEnvironment(Map<String, String> env) {
    List<Integer> steps = new ArrayList<>();
    for (String s : env.getOrDefault("BENCH_STEPS", "25000,33000,40000,50000,60000,70000,80000,100000,120000").split(",")) {
      if (!s.isBlank()) {
        steps.add(Integer.parseInt(s.trim()));
      }
    }
    steps.sort(Integer::compare);
    String pid = env.get("BENCH_PID_FILE");
    BenchSettings s = new BenchSettings(
        integer(env, "BENCH_SERIES", 3),
        integer(env, "BENCH_CONNECTIONS", 10_000),
        integer(env, "BENCH_ROOMS", 200),
        integer(env, "BENCH_LOAD_RATE", 25_000),
        List.copyOf(steps),
        integer(env, "BENCH_WARMUP", 10),
        integer(env, "BENCH_MEASURE", 25),
        integer(env, "BENCH_STEP_WARMUP", 5),
        integer(env, "BENCH_STEP_MEASURE", 20),
        integer(env, "BENCH_DRAIN", 15),
        integer(env, "BENCH_QUIET_WAIT", 10),
        Double.parseDouble(env.getOrDefault("BENCH_QUIET_OTHERS", "25")),
        Double.parseDouble(env.getOrDefault("BENCH_NOISY_OTHERS", "30")),
        integer(env, "BENCH_LOOPS", Math.max(2, Runtime.getRuntime().availableProcessors())),
        integer(env, "BENCH_CONNECT_IN_FLIGHT", 256),
        env.getOrDefault("BENCH_SERVER_HEAP", "1g"),
        pairs(env.getOrDefault("BENCH_REAL_ENV", "")),
        Double.parseDouble(env.getOrDefault("BENCH_P99_LIMIT_MS", "100")),
        Double.parseDouble(env.getOrDefault("BENCH_SATURATED_P99_MS", "1000")),
        List.of(env.getOrDefault("BENCH_SERVERS", "bare,real").split(",")),
        Set.of(env.getOrDefault("BENCH_SCENARIOS", "idle,load,steps").split(",")),
        Path.of(env.getOrDefault("BENCH_JAR", "target/werkraum.jar")),
        Path.of(env.getOrDefault("BENCH_OUT", "target/bench")),
        pid == null || pid.isBlank() ? null : Path.of(pid),
        "1".equals(env.get("BENCH_PG_STATS")),
        "1".equals(env.get("QUICK")));
    s.check();
    return s;
  }

  int roomSize() {
    return connections / rooms;
  }

  /** Posts per second that give {@code deliveriesPerSecond} when every member of a room receives every post. */
  double postsFor(int deliveriesPerSecond) {
    return deliveriesPerSecond / (double) roomSize();
  }

  /** How often each participant posts at that rate, per minute (the server allows 30 per room). */
  double postsPerParticipantMinute(int deliveriesPerSecond) {
    return postsFor(deliveriesPerSecond) * 60 / connections;
  }

  private void check() {
    if (rooms < 1 || connections < rooms || connections % rooms != 0) {
      throw new IllegalArgumentException("BENCH_CONNECTIONS must be a multiple of BENCH_ROOMS");
    }
    boolean load = scenarios.contains("load") && servers.contains("real");
    int highest = Math.max(load ? loadRate : 0, stepRates.isEmpty() ? 0 : stepRates.get(stepRates.size() - 1));
    if (postsPerParticipantMinute(highest) > 20) {
      throw new IllegalArgumentException("at " + highest + " deliveries/s each participant would post "
          + Math.round(postsPerParticipantMinute(highest)) + " times a minute; the server allows 30, keep it under 20");
    }
    for (String server : servers) {
      if (!server.equals("bare") && !server.equals("real")) {
        throw new IllegalArgumentException("BENCH_SERVERS takes bare and real, not " + server);
      }
    }
  }

  /** {@code A=1,B=2}: extra environment for the real server, for experiments (e.g. another heartbeat). */
  private static Map<String, String> pairs(String text) {
    Map<String, String> map = new java.util.TreeMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return Map.copyOf(map);
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }
}
