package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.RawWebSocket;
import de.werkraum.support.TestPlatform;
import de.werkraum.web.socket.WebSocketGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 where it matters: a text message that is not UTF-8 closes the socket with 1007, a frame with
 * a reserved bit (no extension is negotiated) or another framing error with 1002 — each with a close
 * frame, and nothing of the message is stored.
 */
class WebSocketProtocolErrorsTest {

  private static final int TEXT = 0x1;
  private static final int CONTINUATION = 0x0;
  private static final int FIN = 0x80;
  private static final int RSV1 = 0x40;
  private static final int RSV2 = 0x20;
  private static final int RSV3 = 0x10;

  static TestPlatform server;
  static ApiClient member;
  static long room;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    long space = server.createSpace("Protokoll");
    long id = server.createUser("rfc@rooms.de", "Zeche-Zollverein-1986", "Rahmen", false);
    server.addToSpace(space, id, "member");
    member = server.loggedIn("rfc@rooms.de", "Zeche-Zollverein-1986");
    room = server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Rahmen', 'standing') RETURNING id", space);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One hand-made frame: its first byte (FIN, RSV1-3, opcode) and its payload. */
  record Frame(int firstByte, byte[] payload) {}

  /** A way to break the protocol, the frames that do it, and the close code it must get. */
  record Breach(String name, List<Frame> frames, int closeCode) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }

  private static String postStart(String key) {
    return "{\"id\":\"p\",\"type\":\"post\",\"room\":" + room + ",\"key\":\"" + key + "\",\"text\":\"Gruß ";
  }

  static Stream<Breach> breaches() {
    String end = "\"}";
    return Stream.of(
        new Breach("invalid byte 0xFF", List.of(new Frame(FIN | TEXT, bytes(postStart("ff"), 0xFF, end))), 1007),
        new Breach("overlong encoding of '/'", List.of(new Frame(FIN | TEXT, bytes(postStart("overlong"), 0xC0, 0xAF, end))), 1007),
        new Breach("UTF-8 encoded surrogate", List.of(new Frame(FIN | TEXT, bytes(postStart("surrogate"), 0xED, 0xA0, 0x80, end))), 1007),
        new Breach("code point past U+10FFFF", List.of(new Frame(FIN | TEXT, bytes(postStart("toohigh"), 0xF4, 0x90, 0x80, 0x80, end))), 1007),
        new Breach("truncated sequence before the closing quote", List.of(new Frame(FIN | TEXT, bytes(postStart("cut"), 0xE2, 0x82, end))), 1007),
        new Breach("invalid sequence split across continuation frames", List.of(
            new Frame(TEXT, bytes(postStart("split"), 0xC3)),
            new Frame(FIN | CONTINUATION, bytes(0x28, end))), 1007),
        new Breach("sequence cut off at the end of the message", List.of(
            new Frame(TEXT, bytes(postStart("tail"), "x", end)),
            new Frame(FIN | CONTINUATION, bytes(0xF0, 0x9F, 0x98))), 1007),
        new Breach("RSV1 without permessage-deflate", List.of(new Frame(FIN | RSV1 | TEXT, bytes(postStart("rsv1"), end))), 1002),
        new Breach("RSV2", List.of(new Frame(FIN | RSV2 | TEXT, bytes(postStart("rsv2"), end))), 1002),
        new Breach("RSV3", List.of(new Frame(FIN | RSV3 | TEXT, bytes(postStart("rsv3"), end))), 1002),
        new Breach("RSV1 on a continuation frame", List.of(
            new Frame(TEXT, bytes(postStart("rsvcont"))),
            new Frame(FIN | RSV1 | CONTINUATION, bytes(end))), 1002),
        new Breach("reserved opcode 0x3", List.of(new Frame(FIN | 0x3, bytes(postStart("op3"), end))), 1002),
        new Breach("continuation without a first frame", List.of(new Frame(FIN | CONTINUATION, bytes(postStart("orphan"), end))), 1002),
        new Breach("fragmented ping", List.of(new Frame(0x9, bytes("hb"))), 1002));
  }

  private long messages() {
    return server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room);
  }

  /** Opens a socket, reads hello and joins the room, waiting for the ack (so that a post would be stored). */
  private RawWebSocket joined() throws Exception {
    RawWebSocket ws = RawWebSocket.open(server.platform.port(), server.origin(), member.cookieHeader());
    assertEquals("hello", new JsonObject(ws.nextText()).getString("type"));
    ws.sendText("{\"id\":\"j\",\"type\":\"join\",\"room\":" + room + "}");
    while (true) {
      JsonObject frame = new JsonObject(ws.nextText());
      if ("j".equals(frame.getString("id"))) {
        assertEquals("ack", frame.getString("type"), frame.encode());
        return ws;
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breaches")
  void protocolErrorIsAnsweredWithItsCloseCodeAndStoresNothing(Breach breach) throws Exception {
    long before = messages();
    try (RawWebSocket ws = joined()) {
      for (Frame f : breach.frames()) {
        ws.sendFrame(f.firstByte(), f.payload());
      }
      assertEquals(breach.closeCode(), ws.readUntilClose(), "a close frame with the code, not a dropped connection");
    }
    assertEquals(before, messages(), "nothing of the message is stored");
  }

  @Test
  void fragmentsPastTheMessageLimitCloseWith1009AsSoonAsTheyPassIt() throws Exception {
    long before = messages();
    try (RawWebSocket ws = joined()) {
      ws.sendFrame(TEXT, bytes(postStart("fragments")));
      byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.UTF_8);
      // No final frame ever comes: the limit counts the frames received so far.
      for (int i = 0; i < 4; i++) {
        ws.sendFrame(CONTINUATION, chunk);
      }
      assertEquals(1009, ws.readUntilClose());
    }
    assertEquals(before, messages());
  }

  @Test
  void frameOverTheTransportLimitGetsACloseFrameWith1009() throws Exception {
    try (RawWebSocket ws = joined()) {
      ws.sendFrameHeader(FIN | TEXT, WebSocketGateway.TRANSPORT_MAX_BYTES + 1L);
      assertEquals(1009, ws.readUntilClose(), "a close frame, not a dropped connection");
    }
  }

  @Test
  void characterSplitAcrossContinuationFramesIsStoredWhole() throws Exception {
    long before = messages();
    try (RawWebSocket ws = joined()) {
      // "ä" is C3 A4: the first frame ends inside it, and "€" (E2 82 AC) spans the second and third.
      ws.sendFrame(TEXT, bytes(postStart("whole"), 0xC3));
      ws.sendFrame(CONTINUATION, bytes(0xA4, 0xE2));
      ws.sendFrame(FIN | CONTINUATION, bytes(0x82, 0xAC, "\"}"));
      JsonObject answer;
      do {
        answer = new JsonObject(ws.nextText());
      } while (!"p".equals(answer.getString("id")));
      assertEquals("ack", answer.getString("type"), answer.encode());
    }
    assertEquals(before + 1, messages());
    String body = server.platform.pool().preparedQuery("SELECT body FROM messages WHERE room_id = $1 AND client_key = 'whole'")
        .execute(io.vertx.sqlclient.Tuple.of(room)).await().iterator().next().getString(0);
    assertEquals("Gruß ä€", body);
    assertTrue(body.indexOf('\uFFFD') < 0);
  }
}
