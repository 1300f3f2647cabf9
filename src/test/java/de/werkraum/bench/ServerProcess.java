package de.werkraum.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own JVM, so that its heap, RSS and CPU are its own: started with a fresh
 * port, waited for on {@code GET /health}, stopped with SIGTERM (then killed if it does not end).
 */
final class ServerProcess implements AutoCloseable {

  private final String label;
  private final Process process;
  private final int port;

  private ServerProcess(String label, Process process, int port) {
    this.label = label;
    this.process = process;
    this.port = port;
  }

  /** Starts {@code command} with the extra environment, output to {@code log}; the pid goes to {@code pidFile} if given. */
  static ServerProcess start(String label, List<String> command, Map<String, String> env, Path log, int port, Path pidFile)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process process = pb.start();
    if (pidFile != null) {
      Files.writeString(pidFile, "server " + process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return new ServerProcess(label, process, port);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  /** Polls {@code /health} until it answers 200; fails if the process ends or the time is up. */
  void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(label + " server ended with exit code " + process.exitValue() + " before it was healthy");
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IOException(label + " server not healthy within " + timeout.toSeconds() + " s");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, up to 30 s for a clean stop, then SIGKILL. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
