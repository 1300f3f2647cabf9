package de.werkraum.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server ({@code de.werkraum.Main}) in a JVM of its own, on a data folder and a free port, as an
 * operator runs it: so that a test can kill it with SIGKILL and start it again on the same folder.
 */
public final class ServerJvm implements AutoCloseable {

  public static final String ADMIN_EMAIL = "admin@zeche-zollverein.de";
  public static final String ADMIN_PASSWORD = "Kokerei-Zollverein-Essen";

  private final Process process;
  private final Path log;
  public final int port;

  private ServerJvm(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code java -cp <this classpath> de.werkraum.Main} with WERKRAUM_DATA, PORT and an admin account. */
  public static ServerJvm start(Path dataDir, int port, String logName) throws IOException {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + logName + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "de.werkraum.Main"))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = new HashMap<>();
    env.put("WERKRAUM_DATA", dataDir.toString());
    env.put("PORT", Integer.toString(port));
    env.put("WERKRAUM_PUBLIC_URL", "http://localhost:" + port);
    env.put("WERKRAUM_ADMIN_EMAIL", ADMIN_EMAIL);
    env.put("WERKRAUM_ADMIN_PASSWORD", ADMIN_PASSWORD);
    pb.environment().putAll(env);
    pb.environment().remove("WERKRAUM_DB_URL");
    return new ServerJvm(pb.start(), log, port);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public ApiClient client() {
    return ApiClient.forTest(baseUrl(), baseUrl());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The status of {@code GET /health}, or -1 while nothing answers. */
  public int health() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Waits until {@code /health} answers 200; fails if the process ends first or the time is up. */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server ended with exit code " + process.exitValue() + " before it was healthy:\n" + output());
      }
      if (health() == 200) {
        return;
      }
      sleep(200);
    }
    throw new AssertionError("server not healthy within " + timeout.toSeconds() + " s:\n" + output());
  }

  /** SIGKILL, as an OOM kill or a crash would end it: no shutdown hook runs. */
  public void killHard() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to the server's child processes first, then to the server (nothing of it can clean up). */
  public void killHardWithChildren() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    killHard();
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("server still running after " + timeout.toSeconds() + " s:\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM (a clean stop), then SIGKILL if it does not end. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        killHard();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killHard();
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
