package de.werkraum;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Everything the platform reads from its environment, with the documented defaults. */
public record Config(
    int port,
    Path dataDir,
    String dbUrl,
    String publicUrl,
    String adminEmail,
    String adminPassword,
    boolean demo,
    Duration sessionIdle,
    Duration sessionMax,
    Duration heartbeat,
    String writeLimits) {

  public static Config fromEnvironment(Map<String, String> env, boolean demoFlag) {
    int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
    String publicUrl = blankToNull(env.get("WERKRAUM_PUBLIC_URL"));
    if (publicUrl == null) {
      publicUrl = "http://localhost:" + port;
    }
    return new Config(
        port,
        Path.of(env.getOrDefault("WERKRAUM_DATA", "./data")),
        blankToNull(env.get("WERKRAUM_DB_URL")),
        stripTrailingSlash(publicUrl),
        blankToNull(env.get("WERKRAUM_ADMIN_EMAIL")),
        blankToNull(env.get("WERKRAUM_ADMIN_PASSWORD")),
        demoFlag || "true".equalsIgnoreCase(env.get("WERKRAUM_DEMO")),
        Duration.ofMinutes(Long.parseLong(env.getOrDefault("WERKRAUM_SESSION_IDLE_MINUTES", "120"))),
        Duration.ofHours(Long.parseLong(env.getOrDefault("WERKRAUM_SESSION_MAX_HOURS", "12"))),
        Duration.ofSeconds(Long.parseLong(env.getOrDefault("WERKRAUM_WS_HEARTBEAT_SECONDS", "20"))),
        blankToNull(env.get("WERKRAUM_WRITE_LIMITS")));
  }

  /** The exact origin (scheme://host[:port]) browsers must send. */
  public String publicOrigin() {
    URI uri = URI.create(publicUrl);
    String origin = uri.getScheme() + "://" + uri.getHost();
    return uri.getPort() == -1 ? origin : origin + ":" + uri.getPort();
  }

  public boolean secureCookies() {
    return publicUrl.startsWith("https://");
  }

  /** A socket that sent nothing (not even a pong) for three heartbeats is dead. */
  public Duration heartbeatTimeout() {
    return heartbeat.multipliedBy(3);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
