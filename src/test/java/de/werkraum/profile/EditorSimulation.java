package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One simulated editor for tests: a real WebSocket client that keeps its own copy of one field and
 * transforms its pending edit against incoming ops the way the browser does (one edit in flight, later
 * edits composed into a buffer), and resends its in-flight edit with the same (client, seq) after reconnecting.
 */
final class EditorSimulation {

  final String clientId;
  private final TestPlatform server;
  private final ApiClient user;
  private final long profile;
  private final String field;
  private final Random random;
  private WsClient socket;
  Delta doc = Delta.EMPTY;
  long version;
  private Delta inflight;
  private long inflightSeq;
  private long inflightBase;
  private Delta buffer;
  private long nextSeq = 1;
  /** When the in-flight edit goes again after a {@code rate_limited} refusal (0: not waiting). */
  private long resendAt;
  /** Versions the server acknowledged to this client (first submits and resubmits). */
  final Set<Long> ackedVersions = new HashSet<>();

  EditorSimulation(TestPlatform server, ApiClient user, long profile, String field, String clientId, long seed) {
    this.server = server;
    this.user = user;
    this.profile = profile;
    this.field = field;
    this.clientId = clientId;
    this.random = new Random(seed);
  }

  void connect() {
    socket = WsClient.as(server, user);
    JsonObject opened = socket.ok("profile_open", version == 0 && doc.ops().isEmpty() && inflight == null
        ? Map.of("profile", profile) : Map.of("profile", profile, "since", version));
    if (opened.containsKey("fields")) {
      doc = DeltaCodec.read(opened.getJsonObject("fields").getJsonArray(field));
      version = opened.getLong("version");
    }
    pump();
    resendAt = 0;
    if (inflight != null) {
      send(inflight, inflightSeq);
    }
  }

  void disconnect() {
    socket.close();
    socket = null;
  }

  boolean connected() {
    return socket != null;
  }

  /** A random insert or delete somewhere in the field, applied locally at once. */
  void edit() {
    int length = doc.length();
    Delta.Builder b = Delta.builder();
    int at = random.nextInt(length + 1);
    b.retain(at);
    if (length > at && random.nextInt(3) == 0) {
      b.delete(1 + random.nextInt(Math.min(5, length - at)));
    } else {
      b.insert(clientId + nextSeq + " ");
    }
    Delta change = b.build();
    doc = doc.compose(change);
    if (inflight == null) {
      inflight = change;
      inflightSeq = nextSeq++;
      inflightBase = version;
      if (socket != null) {
        send(inflight, inflightSeq);
      }
    } else {
      buffer = buffer == null ? change : buffer.compose(change);
    }
  }

  private void send(Delta delta, long seq) {
    inflightBase = version;
    socket.send("profile_submit", Map.of("profile", profile, "field", field, "delta", DeltaCodec.write(delta),
        "baseVersion", inflightBase, "client", clientId, "seq", seq));
  }

  /** Handles every frame that has arrived. */
  void pump() {
    if (socket == null) {
      return;
    }
    JsonObject f;
    while ((f = socket.poll()) != null) {
      String type = f.getString("type");
      if ("profile_ops".equals(type)) {
        for (Object o : f.getJsonArray("ops")) {
          receive((JsonObject) o);
        }
      } else if ("ack".equals(type) && f.getJsonObject("result").containsKey("duplicate")) {
        ackedVersions.add(f.getJsonObject("result").getLong("version"));
      } else if ("error".equals(type) && "rate_limited".equals(f.getString("code")) && inflight != null) {
        // As the browser does: the same edit goes again when the server says; later edits wait in the buffer.
        resendAt = System.currentTimeMillis() + f.getJsonObject("details").getLong("retryAfterMs", 1_000L);
      } else if ("error".equals(type)) {
        throw new AssertionError(clientId + " got " + f.encode());
      }
    }
    if (resendAt > 0 && System.currentTimeMillis() >= resendAt && socket != null && inflight != null) {
      resendAt = 0;
      send(inflight, inflightSeq);
    }
  }

  private void receive(JsonObject op) {
    long v = op.getLong("version");
    if (v <= version) {
      return;
    }
    if (v != version + 1) {
      throw new AssertionError(clientId + " missed versions: has " + version + ", got " + v);
    }
    version = v;
    if (!field.equals(op.getString("field"))) {
      return;
    }
    if (inflight != null && clientId.equals(op.getString("client")) && op.getLong("seq") == inflightSeq) {
      inflight = null;
      if (buffer != null) {
        inflight = buffer;
        buffer = null;
        inflightSeq = nextSeq++;
        if (socket != null) {
          send(inflight, inflightSeq);
        }
      }
      return;
    }
    Delta remote = DeltaCodec.read(op.getJsonArray("delta"));
    // Inserts at one index: the editor whose client id sorts first goes first (docs/protocol.md).
    boolean remoteFirst = Delta.firstAtTie(op.getString("client"), clientId);
    if (inflight != null) {
      Delta inflightNext = remote.transform(inflight, remoteFirst);
      remote = inflight.transform(remote, !remoteFirst);
      inflight = inflightNext;
    }
    if (buffer != null) {
      Delta bufferNext = remote.transform(buffer, remoteFirst);
      remote = buffer.transform(remote, !remoteFirst);
      buffer = bufferNext;
    }
    doc = doc.compose(remote);
  }

  boolean settled() {
    return inflight == null && buffer == null;
  }

  static String text(JsonArray delta) {
    return DeltaCodec.read(delta).text();
  }
}
