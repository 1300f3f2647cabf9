package de.werkraum.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One poster and one editor, each on its own socket, each sending its next write as soon as the last was
 * acknowledged; a write without an answer (the server died) or with an error (the database is away) is
 * sent again, unchanged, later: same message key, same {@code (client, seq)}.
 */
public final class WriteLoad {

  private static final String CLIENT = "hardkill-editor";
  private static final Duration ANSWER = Duration.ofSeconds(20);
  private static final Duration WAIT = Duration.ofSeconds(180);

  private final Vertx vertx;
  private final ApiClient user;
  private final List<Long> rooms;
  private final long profile;
  public final Set<String> ackedKeys = ConcurrentHashMap.newKeySet();
  public final Set<String> sentKeys = ConcurrentHashMap.newKeySet();
  public final Set<String> ackedTokens = ConcurrentHashMap.newKeySet();
  public final Set<String> sentTokens = ConcurrentHashMap.newKeySet();
  private volatile String pendingKey;
  private volatile JsonObject pendingEdit;
  private int nextKey;
  private int nextSeq = 1;
  private volatile long version;
  private volatile boolean stopping;
  /** Answers other than an ack, by code ("none": no answer within 20 s or the socket closed), for the output. */
  public final Map<String, Integer> refusals = new ConcurrentHashMap<>();
  private final long began = System.nanoTime();
  private List<Thread> threads = List.of();

  public WriteLoad(Vertx vertx, ApiClient user, List<Long> rooms, long profile) {
    this.vertx = vertx;
    this.user = user;
    this.rooms = rooms;
    this.profile = profile;
  }

  public void start(ServerJvm server) {
    stopping = false;
    WsClient poster = connect(server);
    rooms.forEach(room -> poster.ok("join", Map.of("room", room)));
    WsClient editor = connect(server);
    version = editor.ok("profile_open", Map.of("profile", profile)).getLong("version");
    threads = List.of(new Thread(() -> post(poster), "hardkill-poster"), new Thread(() -> edit(editor), "hardkill-editor"));
    threads.forEach(Thread::start);
  }

  public void log(String phase) {
    System.out.printf("%6d ms %s: %d posts and %d edits acknowledged, refused %s%n", (System.nanoTime() - began) / 1_000_000,
        phase, ackedKeys.size(), ackedTokens.size(), refusals);
  }

  public void awaitMoreAcks(int n) throws InterruptedException {
    int target = ackedKeys.size() + n;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (ackedKeys.size() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("load got no acks: " + ackedKeys.size());
      }
      Thread.sleep(10);
    }
  }

  public void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  /** After the last kill: what was sent without an answer is sent once more and must be acknowledged now. */
  public void resendPending(ServerJvm server) throws InterruptedException {
    stopping = false;
    try (WsClient poster = connect(server); WsClient editor = connect(server)) {
      rooms.forEach(room -> poster.ok("join", Map.of("room", room)));
      editor.ok("profile_open", Map.of("profile", profile));
      stopping = true;
      if (pendingKey != null) {
        assertTrue(postOnce(poster), "resent post " + pendingKey);
      }
      if (pendingEdit != null) {
        assertTrue(submitOnce(editor), "resent edit " + pendingEdit);
      }
    }
  }

  private WsClient connect(ServerJvm server) {
    WsClient c = WsClient.connect(vertx, server.port, server.baseUrl(), user.cookieHeader());
    if (c.next(f -> "hello".equals(f.getString("type")), 20_000) == null) {
      throw new AssertionError("no hello");
    }
    return c;
  }

  private void post(WsClient ws) {
    try (ws) {
      while (!stopping) {
        if (!postOnce(ws) && (ws.isClosed() || stopping)) {
          return;
        }
      }
    }
  }

  private void edit(WsClient ws) {
    try (ws) {
      while (!stopping) {
        if (!submitOnce(ws) && (ws.isClosed() || stopping)) {
          return;
        }
      }
    }
  }

  /** Sends the pending (or a new) post; true when it was acknowledged. */
  private boolean postOnce(WsClient ws) {
    if (pendingKey == null) {
      pendingKey = "k" + (nextKey++);
    }
    String key = pendingKey;
    sentKeys.add(key);
    long room = rooms.get(Integer.parseInt(key.substring(1)) % rooms.size());
    JsonObject answer = call(ws, "post", Map.of("room", room, "key", key, "text", "Beitrag " + key));
    if (answer != null && "ack".equals(answer.getString("type"))) {
      ackedKeys.add(key);
      pendingKey = null;
      return true;
    }
    pause(answer);
    return false;
  }

  /** Sends the pending (or a new) edit: an insert at the start of the summary; true when acknowledged. */
  private boolean submitOnce(WsClient ws) {
    if (pendingEdit == null) {
      int seq = nextSeq++;
      pendingEdit = new JsonObject().put("seq", seq).put("baseVersion", version).put("token", "[e" + seq + "]");
    }
    JsonObject edit = pendingEdit;
    String token = edit.getString("token");
    sentTokens.add(token);
    JsonObject answer = call(ws, "profile_submit", Map.of("profile", profile, "field", "summary",
        "delta", new JsonArray().add(new JsonObject().put("insert", token)),
        "baseVersion", edit.getLong("baseVersion"), "client", CLIENT, "seq", edit.getInteger("seq")));
    if (answer != null && "ack".equals(answer.getString("type"))) {
      ackedTokens.add(token);
      version = Math.max(version, answer.getJsonObject("result").getLong("version"));
      pendingEdit = null;
      return true;
    }
    pause(answer);
    return false;
  }

  private void pause(JsonObject answer) {
    refusals.merge(answer == null ? "none" : answer.getString("code"), 1, Integer::sum);
    if (answer != null) {
      try {
        // An error while the database is away: the same write again soon. (A refused post still counts
        // towards the posts per minute, so not too soon.)
        Thread.sleep("rate_limited".equals(answer.getString("code")) ? 1000 : 300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The answer (ack or error) to one request, or null if the socket closed or nothing came within 20 s. */
  private static JsonObject call(WsClient ws, String type, Map<String, Object> fields) {
    String id;
    try {
      id = ws.send(type, fields);
    } catch (RuntimeException closed) {
      return null;
    }
    long deadline = System.nanoTime() + ANSWER.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject f = ws.next(x -> id.equals(x.getValue("id")) && ("ack".equals(x.getString("type")) || "error".equals(x.getString("type"))), 100);
      if (f != null) {
        return f;
      }
      if (ws.isClosed()) {
        return null;
      }
      ws.drain(x -> !id.equals(x.getValue("id")), 0); // events and ops of the load are not kept
    }
    return null;
  }
}
