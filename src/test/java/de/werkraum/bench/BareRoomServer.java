package de.werkraum.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline the real server is measured against: a bare Vert.x 5 WebSocket broadcast server that
 * speaks the same {@code join}/{@code post} frames and answers {@code hello}, {@code ack} and {@code event}
 * frames shaped like Werkraum's, with no authentication, no database and no features. Sequence numbers
 * are per room, in memory; a post is published on the event bus, and each verticle instance (one per
 * core) has one consumer per room that writes, in seq order, to its own list of the room's sockets.
 *
 * <p>{@code java -cp ... de.werkraum.bench.BareRoomServer <port>}
 */
public final class BareRoomServer {

  static final int WRITE_QUEUE_BYTES = 512 * 1024;
  static final short SLOW_CONSUMER = 4002;

  private BareRoomServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8090"));
    Vertx vertx = Vertx.vertx();
    RoomCounters counters = new RoomCounters();
    AtomicLong participants = new AtomicLong();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new Instance(port, counters, participants), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare room server ready on port " + port + " with " + instances + " instances"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // ending anyway
      }
    }, "bare-shutdown"));
  }

  /** The last seq of each room, shared by the instances; taking a seq and publishing it happen under the room's lock. */
  static final class RoomCounters {
    private final ConcurrentHashMap<Long, long[]> rooms = new ConcurrentHashMap<>();

    long[] of(long room) {
      return rooms.computeIfAbsent(room, r -> new long[1]);
    }
  }

  /** One event loop's server: its sockets, and its one channel per room. */
  static final class Instance extends VerticleBase {

    private final int port;
    private final RoomCounters counters;
    private final AtomicLong participants;
    private final Map<Long, Channel> channels = new HashMap<>();
    private final Map<ServerWebSocket, Set<Long>> joined = new HashMap<>();
    private HttpServer server;

    Instance(int port, RoomCounters counters, AtomicLong participants) {
      this.port = port;
      this.counters = counters;
      this.participants = participants;
    }

    @Override
    public Future<?> start() {
      server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1024 * 1024).setMaxWebSocketMessageSize(1024 * 1024));
      server.webSocketHandler(this::open);
      server.requestHandler(req -> {
        if ("/health".equals(req.path())) {
          req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
        } else {
          req.response().setStatusCode(404).end();
        }
      });
      return server.listen(port);
    }

    private void open(ServerWebSocket ws) {
      long n = participants.incrementAndGet();
      JsonObject author = new JsonObject().put("key", "u" + n).put("name", "Teilnehmerin " + n).put("guest", false).put("userId", n);
      ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
      ws.textMessageHandler(text -> onText(ws, author, text));
      ws.closeHandler(v -> closed(ws));
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("participant", author)
          .put("heartbeatSeconds", 20).put("maxFrameBytes", 65536).encode());
    }

    private void onText(ServerWebSocket ws, JsonObject author, String text) {
      JsonObject req;
      try {
        Object parsed = Json.decodeValue(text);
        if (!(parsed instanceof JsonObject o)) {
          error(ws, null, "malformed_json");
          return;
        }
        req = o;
      } catch (DecodeException e) {
        error(ws, null, "malformed_json");
        return;
      }
      Object id = req.getValue("id");
      String type = req.getString("type", "");
      Long room = req.getValue("room") instanceof Number num ? num.longValue() : null;
      switch (type) {
        case "join" -> {
          if (room == null) {
            error(ws, id, "missing_field");
          } else {
            join(ws, id, room);
          }
        }
        case "post" -> {
          String key = req.getValue("key") instanceof String k ? k : null;
          String body = req.getValue("text") instanceof String t ? t : null;
          if (room == null || key == null || body == null) {
            error(ws, id, "missing_field");
          } else if (!joined.getOrDefault(ws, Set.of()).contains(room)) {
            error(ws, id, "not_joined");
          } else {
            post(ws, id, author, room, body);
          }
        }
        case "leave" -> {
          if (room != null) {
            leave(ws, room);
          }
          ack(ws, id, new JsonObject());
        }
        case "ping" -> ack(ws, id, new JsonObject().put("time", System.currentTimeMillis()));
        default -> error(ws, id, "unknown_type");
      }
    }

    private void join(ServerWebSocket ws, Object id, long room) {
      Channel channel = channels.computeIfAbsent(room, r -> new Channel(r, counters.of(r)));
      channel.ready.onSuccess(v -> {
        if (ws.isClosed()) {
          return;
        }
        if (joined.computeIfAbsent(ws, k -> new HashSet<>()).add(room)) {
          channel.sockets.add(ws);
        }
        ack(ws, id, new JsonObject()
            .put("room", new JsonObject().put("id", room).put("spaceId", 1).put("name", "Raum " + room).put("kind", "standing").put("open", true))
            .put("role", "member").put("lastSeq", channel.delivered).put("presence", new JsonArray()));
      });
    }

    private void post(ServerWebSocket ws, Object id, JsonObject author, long room, String text) {
      JsonObject message = new JsonObject().put("seq", 0L).put("author", author).put("text", text).putNull("replyTo")
          .put("mentions", new JsonArray()).put("createdAt", Instant.now().toString()).putNull("editedAt")
          .put("deleted", false).put("reactions", new JsonObject()).put("replyCount", 0);
      long[] counter = counters.of(room);
      synchronized (counter) {
        long seq = ++counter[0];
        message.put("seq", seq);
        String frame = new JsonObject().put("type", "event").put("room", room).put("seq", seq).put("kind", "message")
            .put("message", message).encode();
        vertx.eventBus().publish(address(room), frame, new DeliveryOptions().addHeader("seq", Long.toString(seq)));
      }
      ack(ws, id, new JsonObject().put("message", message).put("duplicate", false));
    }

    private void leave(ServerWebSocket ws, long room) {
      Set<Long> mine = joined.get(ws);
      if (mine != null && mine.remove(room)) {
        Channel channel = channels.get(room);
        if (channel != null) {
          channel.sockets.remove(ws);
        }
      }
    }

    private void closed(ServerWebSocket ws) {
      Set<Long> mine = joined.remove(ws);
      if (mine != null) {
        for (long room : mine) {
          Channel channel = channels.get(room);
          if (channel != null) {
            channel.sockets.remove(ws);
          }
        }
      }
    }

    private static void send(ServerWebSocket ws, String frame) {
      if (ws.isClosed()) {
        return;
      }
      if (ws.writeQueueFull()) {
        ws.close(SLOW_CONSUMER, "slow_consumer");
        return;
      }
      ws.writeTextMessage(frame);
    }

    private static void ack(ServerWebSocket ws, Object id, JsonObject result) {
      send(ws, new JsonObject().put("type", "ack").put("id", id).put("result", result).encode());
    }

    private static void error(ServerWebSocket ws, Object id, String code) {
      send(ws, new JsonObject().put("type", "error").put("id", id).put("code", code).put("message", code).encode());
    }

    private static String address(long room) {
      return "bare.room." + room;
    }

    /** One room on this instance: its consumer, its sockets, and in-order delivery by seq. */
    final class Channel {
      final List<ServerWebSocket> sockets = new ArrayList<>();
      final Future<Void> ready;
      private final TreeMap<Long, String> early = new TreeMap<>();
      private final MessageConsumer<String> consumer;
      long delivered = -1;

      Channel(long room, long[] counter) {
        consumer = vertx.eventBus().consumer(address(room), this::onEvent);
        ready = consumer.completion().map(v -> {
          synchronized (counter) {
            delivered = counter[0];
          }
          drain();
          return null;
        });
      }

      private void onEvent(Message<String> msg) {
        long seq = Long.parseLong(msg.headers().get("seq"));
        if (delivered < 0 || seq > delivered + 1) {
          early.put(seq, msg.body());
          return;
        }
        if (seq == delivered + 1) {
          deliver(seq, msg.body());
          drain();
        }
      }

      private void drain() {
        while (!early.isEmpty() && early.firstKey() <= delivered + 1) {
          Map.Entry<Long, String> e = early.pollFirstEntry();
          if (e.getKey() == delivered + 1) {
            deliver(e.getKey(), e.getValue());
          }
        }
      }

      private void deliver(long seq, String frame) {
        delivered = seq;
        for (int i = 0; i < sockets.size(); i++) {
          send(sockets.get(i), frame);
        }
      }
    }
  }
}
