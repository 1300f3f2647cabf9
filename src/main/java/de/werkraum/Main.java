package de.werkraum;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Werkraum from the command line: {@code java -jar werkraum.jar [--demo]}. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.fromEnvironment(System.getenv(), Arrays.asList(args).contains("--demo"));
    Vertx vertx = Vertx.vertx();
    Platform platform;
    try {
      platform = Platform.start(vertx, config).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.error("Werkraum could not start: {}", cause.getMessage(), cause);
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      try {
        platform.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.error("unclean shutdown", e);
      }
    }, "werkraum-shutdown"));
  }
}
