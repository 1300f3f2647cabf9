package de.werkraum.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client of the protocol for tests: sends requests, waits for their answers and for events. */
public final class WsClient implements AutoCloseable {

  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final List<JsonObject> seen = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Short closeCode;

  private WsClient(WebSocketClient client, ClientWebSocket socket) {
    this.client = client;
    this.socket = socket;
    // Handlers are set before connecting, so no early frame (hello) can be missed.
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.closeHandler(v -> closeCode = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode());
  }

  /** Opens {@code /ws} with the given Origin and Cookie headers (either may be null); fails if the handshake is refused. */
  public static WsClient connect(Vertx vertx, int port, String origin, String cookie) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setClosingTimeout(1).setMaxFrameSize(1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/ws");
    if (origin != null) {
      options.addHeader("Origin", origin);
    } else {
      options.setAllowOriginHeader(false);
    }
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    try {
      WsClient c = new WsClient(client, client.webSocket());
      ((ClientWebSocket) c.socket).connect(options).await(10, TimeUnit.SECONDS);
      return c;
    } catch (Exception e) {
      client.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  public static WsClient as(TestPlatform server, ApiClient user) {
    WsClient c = connect(server.vertx, server.platform.port(), server.origin(), user.cookieHeader());
    if (c.next(f -> "hello".equals(f.getString("type")), 20_000) == null) {
      throw new AssertionError("no hello frame after the handshake");
    }
    return c;
  }

  public void sendRaw(String text) {
    socket.writeTextMessage(text).await();
  }

  /** Sends a request and returns its answer (ack or error), keeping other frames for later. */
  public JsonObject request(String type, Map<String, Object> fields) {
    String id = "r" + ids.incrementAndGet();
    JsonObject frame = new JsonObject(new java.util.HashMap<>(fields)).put("id", id).put("type", type);
    socket.writeTextMessage(frame.encode()).await();
    return next(f -> id.equals(f.getValue("id")) && ("ack".equals(f.getString("type")) || "error".equals(f.getString("type"))));
  }

  /** The ack's result; fails the test if the answer was an error. */
  public JsonObject ok(String type, Map<String, Object> fields) {
    JsonObject answer = request(type, fields);
    if (!"ack".equals(answer.getString("type"))) {
      throw new AssertionError(type + " " + fields + " answered " + answer.encode());
    }
    return answer.getJsonObject("result");
  }

  /** The next frame that has arrived, or null at once if none has. */
  public JsonObject poll() {
    if (!seen.isEmpty()) {
      return seen.remove(0);
    }
    return frames.poll();
  }

  /** Sends a request without waiting for its answer; returns its id. */
  public String send(String type, Map<String, Object> fields) {
    String id = "r" + ids.incrementAndGet();
    socket.writeTextMessage(new JsonObject(new java.util.HashMap<>(fields)).put("id", id).put("type", type).encode());
    return id;
  }

  /** The next frame matching, waiting up to 10 s; frames passed over are kept in {@link #seen()}. */
  public JsonObject next(Predicate<JsonObject> match) {
    return next(match, 10_000);
  }

  public JsonObject next(Predicate<JsonObject> match, long timeoutMs) {
    for (int i = 0; i < seen.size(); i++) {
      if (match.test(seen.get(i))) {
        return seen.remove(i);
      }
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      JsonObject f;
      try {
        f = left <= 0 ? null : frames.poll(left, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (f == null) {
        return null;
      }
      if (match.test(f)) {
        return f;
      }
      seen.add(f);
    }
  }

  /** The next room event of the room, by seq order of arrival. */
  public JsonObject event(long room) {
    return next(f -> "event".equals(f.getString("type")) && f.getLong("room") == room);
  }

  /** Forgets every frame received so far (to look only at what comes after a moment). */
  public void discardReceived() {
    seen.clear();
    frames.clear();
  }

  /** All frames that arrive within the given time and match. */
  public List<JsonObject> drain(Predicate<JsonObject> match, long quietMs) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject f;
    while ((f = next(match, quietMs)) != null) {
      out.add(f);
    }
    return out;
  }

  /** Waits for the server to close the socket and returns the close code (null if it stays open). */
  public Short awaitClose(long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (closeCode == null && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return closeCode;
  }

  public boolean isClosed() {
    return closeCode != null;
  }

  @Override
  public void close() {
    if (closeCode == null) {
      socket.close();
    }
    client.close();
  }
}
