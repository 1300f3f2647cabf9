package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A post acknowledged before a server restart, resent after it, stays one message; a resume spans the restart. */
class RoomRestartTest {

  @Test
  void resendAfterServerRestartYieldsTheOriginalMessage() {
    try (TestPlatform server = TestPlatform.start()) {
      long space = server.createSpace("Neustart");
      long user = server.createUser("restart@rooms.de", "Zeche-Zweckel-Gladbeck", "Neustart", false);
      server.addToSpace(space, user, "member");
      long room = server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Neustart', 'standing') RETURNING id", space);
      ApiClient member = server.loggedIn("restart@rooms.de", "Zeche-Zweckel-Gladbeck");
      long seq;
      try (WsClient c = WsClient.as(server, member)) {
        c.ok("join", Map.of("room", room));
        seq = c.ok("post", Map.of("room", room, "key", "vor-dem-neustart", "text", "Überlebt das?")).getJsonObject("message").getLong("seq");
      }
      server.restart();
      try (WsClient c = WsClient.as(server, member)) {
        c.ok("join", Map.of("room", room, "since", 0));
        JsonObject replayed = c.event(room);
        assertEquals(seq, replayed.getLong("seq"));
        JsonObject again = c.ok("post", Map.of("room", room, "key", "vor-dem-neustart", "text", "Überlebt das?"));
        assertTrue(again.getBoolean("duplicate"));
        assertEquals(seq, again.getJsonObject("message").getLong("seq"));
        assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
      }
    }
  }
}
