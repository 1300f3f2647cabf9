package de.werkraum.room;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The people of the moderation tests, on their own server: a coordinator of the space, a member who
 * will moderate sessions ("Moderator"), and two members, Alice and Bob. Each test class that extends it
 * gets a fresh server and database (JUnit runs the inherited {@code BeforeAll} per class; the classes run
 * one after the other).
 */
abstract class ModerationFixture {

  static final String PASSWORD = "Zeche-Zollverein-1986";

  static TestPlatform server;
  static ApiClient coordinator;
  static ApiClient moderator;
  static ApiClient alice;
  static ApiClient bob;
  static long space;
  static long moderatorId;
  static long aliceId;
  static long bobId;

  @BeforeAll
  static void startServer() {
    server = TestPlatform.start();
    space = server.createSpace("Quartiere");
    long coord = server.createUser("coord@mod.de", PASSWORD, "Koordinatorin", false);
    moderatorId = server.createUser("mod@mod.de", PASSWORD, "Moderator", false);
    aliceId = server.createUser("alice@mod.de", PASSWORD, "Alice", false);
    bobId = server.createUser("bob@mod.de", PASSWORD, "Bob", false);
    server.addToSpace(space, coord, "coordinator");
    server.addToSpace(space, moderatorId, "member");
    server.addToSpace(space, aliceId, "member");
    server.addToSpace(space, bobId, "member");
    coordinator = server.loggedIn("coord@mod.de", PASSWORD);
    moderator = server.loggedIn("mod@mod.de", PASSWORD);
    alice = server.loggedIn("alice@mod.de", PASSWORD);
    bob = server.loggedIn("bob@mod.de", PASSWORD);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
}
