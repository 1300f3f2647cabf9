package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.Axe;
import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A member and a guest talk in a running session's room, each in their own headless Chromium.
 * Messages are typed and sent with Enter; each side sees the other's message exactly once. Then the
 * connection goes away — for both (the server restarts) and for the guest alone (the browser goes
 * offline) — and what was written meanwhile arrives once, without a reload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomBrowserTest {

  static final String PASSWORD = "Zeche-Ewald-Herten-2026";
  static TestPlatform server;
  static ChromeDriver member;
  static ChromeDriver guest;
  static long sessionId;
  static long roomId;
  static String guestLink;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    long coordinator = server.createUser("kora@room.de", PASSWORD, "Kora Koordination", false);
    long space = server.createSpace("Innovationsraum Emscher");
    server.addToSpace(space, coordinator, "coordinator");
    ApiClient api = server.loggedIn("kora@room.de", PASSWORD);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    ApiClient.Response created = api.post("/api/spaces/" + space + "/sessions", Map.of(
        "title", "Werkstatt Emscher-Ufer",
        "agenda", List.of("Begrüßung", "Ideen sammeln"),
        "startsAt", now.minusMinutes(5).toString(),
        "endsAt", now.plusHours(2).toString(),
        "guestPolicy", "link"));
    assertEquals(201, created.status(), created.body());
    sessionId = created.json().getLong("id");
    roomId = created.json().getLong("roomId");
    ApiClient.Response link = api.post("/api/sessions/" + sessionId + "/guest-link", null);
    assertEquals(201, link.status(), link.body());
    guestLink = link.json().getString("link").replace(server.config.publicUrl(), server.baseUrl());
    member = Browser.start();
    guest = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (member != null) {
      member.quit();
    }
    if (guest != null) {
      guest.quit();
    }
    server.close();
  }

  @Test
  @Order(1)
  void memberAndGuestTalkAndARestartOfTheServerLosesNothing() {
    bothInTheRoom();

    send(member, "Glück auf aus Gelsenkirchen!");
    waitForOnce(guest, "Glück auf aus Gelsenkirchen!");
    send(guest, "Guten Morgen aus Bottrop!");
    waitForOnce(member, "Guten Morgen aus Bottrop!");
    // Screen readers hear it through the room's live region, and the focus stays where it was.
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-live"),
        "Neue Nachricht von Gerda Gast: Guten Morgen aus Bottrop!"));
    assertEquals("composer-input", member.switchTo().activeElement().getAttribute("id"));
    assertSettled(member, "Glück auf aus Gelsenkirchen!", "Guten Morgen aus Bottrop!");
    assertSettled(guest, "Glück auf aus Gelsenkirchen!", "Guten Morgen aus Bottrop!");

    // The server goes away: both sockets drop. What the member writes now waits, visibly.
    server.stopServer();
    waiting(member).until(d -> !"connected".equals(connectionState(d)));
    send(member, "Geschrieben während der Unterbrechung");
    WebElement outbox = member.findElement(By.id("room-outbox"));
    waiting(member).until(ExpectedConditions.textToBePresentInElement(outbox, "Geschrieben während der Unterbrechung"));
    // It waits, and looks like waiting (not like being sent), with the time it was written.
    waiting(member).until(d -> outbox.getText().contains("wartet auf Verbindung"));
    assertTrue(outbox.getText().contains("geschrieben") && !outbox.getText().contains("wird gesendet"), outbox.getText());
    assertEquals(0, count(member, "Geschrieben während der Unterbrechung"), "not shown as sent before it is");
    Axe.assertAccessible(member, "room with a waiting post");

    // Back again: both reconnect by themselves; the waiting post arrives once.
    server.startAgain();
    waiting(member).until(d -> "connected".equals(connectionState(d)));
    waiting(member).until(ExpectedConditions.textToBe(By.cssSelector("#connection-state .connection-text"), "Verbunden"));
    waitForOnce(guest, "Geschrieben während der Unterbrechung");
    waiting(guest).until(d -> "connected".equals(connectionState(d)));
    send(guest, "Auch wieder da");
    waitForOnce(member, "Auch wieder da");

    List<String> all = List.of("Glück auf aus Gelsenkirchen!", "Guten Morgen aus Bottrop!",
        "Geschrieben während der Unterbrechung", "Auch wieder da");
    assertSettled(member, all.toArray(String[]::new));
    assertSettled(guest, all.toArray(String[]::new));
    for (String text : all) {
      assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", roomId, text), text);
    }
  }

  @Test
  @Order(2)
  void guestWhoseNetworkDropsAloneCatchesUpAndSendsWhatWaited() {
    bothInTheRoom();
    guest.executeCdpCommand("Network.enable", Map.of());
    guest.executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    waiting(guest).until(d -> "offline".equals(connectionState(d)));

    send(guest, "Im Funkloch geschrieben");
    send(member, "Während der Gast offline ist");
    waitForOnce(member, "Während der Gast offline ist");
    waiting(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-outbox"), "Im Funkloch geschrieben"));
    assertEquals(0, count(member, "Im Funkloch geschrieben"));
    // The time it was written, as the waiting post shows it.
    String written = guest.findElement(By.cssSelector("#room-outbox li .message-written")).getAttribute("datetime");

    guest.executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    waiting(guest).until(d -> "connected".equals(connectionState(d)));
    waitForOnce(member, "Im Funkloch geschrieben");
    waitForOnce(guest, "Während der Gast offline ist");
    assertSettled(guest, "Im Funkloch geschrieben", "Während der Gast offline ist");
    assertSettled(member, "Im Funkloch geschrieben", "Während der Gast offline ist");
    assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", roomId, "Im Funkloch geschrieben"));

    // Sent, the message keeps the time it was written: stored, and in both pages' copy of it.
    assertEquals(java.time.Instant.parse(written).toEpochMilli(), server.sqlLong(
        "SELECT coalesce((extract(epoch FROM written_at) * 1000)::bigint, -1) FROM messages WHERE room_id = $1 AND body = $2",
        roomId, "Im Funkloch geschrieben"));
    assertEquals(java.time.Instant.parse(written), java.time.Instant.parse(writtenAtOnPage(member, "Im Funkloch geschrieben")));
    assertEquals(java.time.Instant.parse(written), java.time.Instant.parse(writtenAtOnPage(guest, "Im Funkloch geschrieben")));
    // A message written well before it was sent shows both times (the page's own rendering of one).
    Object meta = member.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        import('/js/components/message-item.js').then(({ renderMessage }) => {
          const sent = new Date(); sent.setHours(13, 52, 0, 0);
          const written = new Date(sent); written.setHours(13, 46);
          const item = renderMessage({ seq: 1, author: { key: 'u0', name: 'Probe' }, text: 'x', mentions: [], reactions: {},
            createdAt: sent.toISOString(), writtenAt: written.toISOString() }, { idPrefix: 'probe', canWrite: false });
          done(item.querySelector('.message-meta').textContent);
        }, (e) => done(String(e)));""");
    assertTrue(String.valueOf(meta).contains("geschrieben 13:46 · gesendet 13:52"), String.valueOf(meta));
  }

  /** The writtenAt of the message with this text as the page holds it (on its list item). */
  private static String writtenAtOnPage(ChromeDriver browser, String text) {
    return (String) browser.executeScript("return [...document.querySelectorAll('#room-messages li.message')]"
        + ".find((e) => e.querySelector('.message-text')?.textContent.trim() === arguments[0])?.dataset.writtenAt ?? null;", text);
  }

  /** The member signs in through the page and joins from the session page; the guest joins by the link. */
  private void bothInTheRoom() {
    if (!inRoom(member)) {
      member.get(server.baseUrl() + "/#/login");
      visible(member, "login-email").sendKeys("kora@room.de");
      visible(member, "login-password").sendKeys(PASSWORD, Keys.ENTER);
      visible(member, "logout-button");
      member.get(server.baseUrl() + "/#/sessions/" + sessionId);
      visible(member, "session-join").sendKeys(Keys.ENTER);
      waitInRoom(member);
      assertEquals("Werkstatt Emscher-Ufer", member.findElement(By.tagName("h1")).getText());
    }
    if (!inRoom(guest)) {
      guest.get(guestLink);
      visible(guest, "guest-name").sendKeys("Gerda Gast", Keys.ENTER);
      waitInRoom(guest);
      waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-participants"), "Gerda Gast"));
    }
  }

  private static boolean inRoom(ChromeDriver browser) {
    return Boolean.TRUE.equals(browser.executeScript(
        "const box = document.getElementById('composer-input'); return Boolean(box && !box.disabled);"));
  }

  private void waitInRoom(ChromeDriver browser) {
    waiting(browser).until(d -> inRoom((ChromeDriver) d) && "connected".equals(connectionState(d)));
  }

  /** Types into the message box and presses Enter. */
  private void send(ChromeDriver browser, String text) {
    WebElement box = visible(browser, "composer-input");
    box.sendKeys(text);
    box.sendKeys(Keys.ENTER);
    waiting(browser).until(d -> box.getAttribute("value").isEmpty());
  }

  private void waitForOnce(ChromeDriver browser, String text) {
    waiting(browser).until(d -> count(browser, text) == 1);
  }

  /** Once nothing waits to be sent any more, each text is on the page exactly once. */
  private void assertSettled(ChromeDriver browser, String... texts) {
    waiting(browser).until(d -> d.findElements(By.cssSelector("#room-outbox li")).isEmpty());
    for (String text : texts) {
      assertEquals(1, count(browser, text), "'" + text + "' in " + browser.findElement(By.id("room-messages")).getText());
    }
  }

  private static long count(ChromeDriver browser, String text) {
    Object n = browser.executeScript("return [...document.querySelectorAll('#room-messages li.message .message-text')]"
        + ".filter((e) => e.textContent.trim() === arguments[0]).length;", text);
    return ((Number) n).longValue();
  }

  private static String connectionState(org.openqa.selenium.WebDriver browser) {
    List<WebElement> found = browser.findElements(By.id("connection-state"));
    return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
  }

  private static WebElement visible(ChromeDriver browser, String id) {
    return waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting(ChromeDriver browser) {
    return new WebDriverWait(browser, Duration.ofSeconds(15));
  }
}
