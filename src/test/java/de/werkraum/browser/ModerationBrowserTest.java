package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A moderated session in three headless Chromiums: the moderator, a member and a guest. The guest waits
 * in the lobby and is admitted without reloading; the member raises a hand and gets the floor; the
 * moderator mutes the guest, whose composer says so and whose post is refused; a poll is started, voted
 * on, closed and published, and the member sees the result. Then a report leads to a removed message,
 * a message becomes a pinned result, the room is locked and slowed, and the session is ended: its page
 * shows the results. In a second session: the hidden participant list, floor-only mode, a removal and
 * re-joining, a promotion and demotion. Driven by keyboard where a person would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModerationBrowserTest {

  static final String PASSWORD = "Zeche-Zollverein-Essen-2026";
  static TestPlatform server;
  static ChromeDriver moderator;
  static ChromeDriver member;
  static ChromeDriver guest;
  static long sessionId;
  static long roomId;
  static long spaceId;
  static long monaId;
  static long benId;
  static String guestLink;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    long coordinator = server.createUser("kora@mod.de", PASSWORD, "Kora Koordination", false);
    long mona = server.createUser("mona@mod.de", PASSWORD, "Mona Moderation", false);
    long ben = server.createUser("ben@mod.de", PASSWORD, "Ben Bauer", false);
    long space = server.createSpace("Innovationsraum Lippe");
    server.addToSpace(space, coordinator, "coordinator");
    server.addToSpace(space, mona, "member");
    server.addToSpace(space, ben, "member");
    spaceId = space;
    monaId = mona;
    benId = ben;
    ApiClient api = server.loggedIn("kora@mod.de", PASSWORD);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    ApiClient.Response created = api.post("/api/spaces/" + space + "/sessions", Map.of(
        "title", "Werkstatt Lippeauen",
        "startsAt", now.minusMinutes(5).toString(),
        "endsAt", now.plusHours(2).toString(),
        "guestPolicy", "approval",
        "moderators", List.of(mona)));
    assertEquals(201, created.status(), created.body());
    sessionId = created.json().getLong("id");
    roomId = created.json().getLong("roomId");
    ApiClient.Response link = api.post("/api/sessions/" + sessionId + "/guest-link", null);
    assertEquals(201, link.status(), link.body());
    guestLink = link.json().getString("link").replace(server.config.publicUrl(), server.baseUrl());
    moderator = Browser.start();
    member = Browser.start();
    guest = Browser.start();
  }

  @AfterAll
  static void stop() {
    for (ChromeDriver browser : new ChromeDriver[] {moderator, member, guest}) {
      if (browser != null) {
        browser.quit();
      }
    }
    server.close();
  }

  @Test
  @Order(1)
  void lobbyFloorMuteAndPollInAModeratedSession() {
    signInAndEnter(moderator, "mona@mod.de");
    visible(moderator, "mod-panel");
    signInAndEnter(member, "ben@mod.de");
    assertTrue(member.findElements(By.id("mod-panel")).isEmpty(), "members get no moderator panel");

    // The guest waits in the lobby; the moderator sees them there and admits them by keyboard.
    guest.get(guestLink);
    visible(guest, "guest-name").sendKeys("Gerda Gast", Keys.ENTER);
    WebElement lobby = visible(guest, "guest-lobby");
    assertTrue(lobby.getText().contains("Warteraum"), lobby.getText());
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-lobby-list"), "Gerda Gast"));
    WebElement admit = moderator.findElement(By.cssSelector("#mod-lobby-list button.primary"));
    admit.sendKeys(Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.visibilityOfElementLocated(By.id("mod-lobby-empty")));

    // Admitted: the guest's page goes into the room by itself and says so.
    waitInRoom(guest);
    waiting(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Sie sind zugelassen"));
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-participants"), "Gerda Gast"));

    // The member raises a hand (keyboard) and sees their place in the queue.
    WebElement hand = visible(member, "room-hand");
    hand.sendKeys(Keys.SPACE);
    waiting(member).until(ExpectedConditions.textToBe(By.id("room-hand"), "Hand senken"));
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-hand-state"), "Platz 1 von 1"));
    announced(member, "Ihre Hand ist gehoben.");

    // The moderator gives the floor from the queue; the member is told.
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-hands-list"), "Ben Bauer"));
    moderator.findElement(By.cssSelector("#mod-hands-list button")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBe(By.id("room-floor"), "Sie haben das Wort."));
    announced(member, "Sie haben jetzt das Wort.");
    waiting(member).until(ExpectedConditions.textToBe(By.id("room-hand"), "Hand heben"));
    waiting(guest).until(ExpectedConditions.textToBe(By.id("room-floor"), "Das Wort hat: Ben Bauer"));

    // The moderator mutes the guest for 15 minutes, with a reason, through the person's actions.
    String guestKey = "g" + server.sqlLong("SELECT id FROM guests WHERE display_name = $1", "Gerda Gast");
    WebElement row = waiting(moderator).until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#room-participants li[data-key='" + guestKey + "']")));
    WebElement actions = row.findElement(By.cssSelector("button[aria-expanded]"));
    actions.sendKeys(Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.attributeToBe(actions, "aria-expanded", "true"));
    WebElement mute = row.findElement(By.cssSelector("button[data-action='mute']"));
    assertEquals(mute, moderator.switchTo().activeElement(), "the focus moves into the opened actions");
    mute.sendKeys(Keys.ENTER);
    WebElement dialog = visible(moderator, "mute-dialog");
    assertEquals("mute-duration-900", moderator.switchTo().activeElement().getAttribute("id"));
    assertTrue(moderator.findElement(By.id("mute-duration-900")).isSelected(), "15 minutes is the default");
    dialog.findElement(By.id("mute-reason")).sendKeys("Bitte beim Thema bleiben");
    dialog.findElement(By.id("mute-dialog-submit")).sendKeys(Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.invisibilityOfElementLocated(By.id("mute-dialog")));
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-mutes-list"), "Gerda Gast"));

    // The guest's composer shows the mute, until when and why, and is announced.
    WebElement readOnly = waiting(guest).until(ExpectedConditions.visibilityOfElementLocated(By.id("composer-readonly")));
    waiting(guest).until(ExpectedConditions.textToBePresentInElement(readOnly, "stummgeschaltet bis"));
    assertTrue(readOnly.getText().contains("Bitte beim Thema bleiben"), readOnly.getText());
    assertFalse(guest.findElement(By.id("composer-input")).isEnabled());
    announced(guest, "stummgeschaltet bis");
    // A post tried anyway (a socket of the guest's own browser) is refused, and nothing is stored.
    assertEquals("muted", postFromPage(guest, "Trotzdem geschrieben"));
    assertEquals(0, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", roomId, "Trotzdem geschrieben"));

    // The moderator starts a poll from the panel's form (Enter in the last answer submits it).
    visible(moderator, "poll-question").sendKeys("Welcher Termin passt für das nächste Treffen?");
    moderator.findElement(By.id("poll-option-0")).sendKeys("Dienstag");
    moderator.findElement(By.id("poll-option-1")).sendKeys("Donnerstag", Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-polls"), "Welcher Termin passt"));

    // The member votes by keyboard: Space picks an answer, Enter on the button sends it.
    announced(member, "Neue Umfrage: Welcher Termin passt");
    WebElement card = member.findElement(By.cssSelector("#room-polls .poll-card"));
    String pollId = card.getAttribute("id");
    member.findElement(By.id(pollId + "-option-1")).sendKeys(Keys.SPACE);
    member.findElement(By.id(pollId + "-vote")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-mine"), "Ihre Stimme: Donnerstag"));
    assertTrue(member.findElements(By.id(pollId + "-results")).isEmpty(), "no result before it is published");

    // The moderator sees the count live, closes the poll and publishes the result.
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-results"), "Donnerstag: 1 (100 %)"));
    visible(moderator, pollId + "-close").sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-state"), "Geschlossen"));
    visible(moderator, pollId + "-publish").sendKeys(Keys.ENTER);

    // The member (and the guest) see the published result, and hear of it.
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-results"), "Donnerstag: 1 (100 %)"));
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-state"), "Ergebnis veröffentlicht"));
    announced(member, "Ergebnis veröffentlicht");
    waiting(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id(pollId + "-results"), "Dienstag: 0 (0 %)"));
    assertTrue(member.findElements(By.id(pollId + "-vote")).isEmpty(), "no voting once closed");
  }

  @Test
  @Order(2)
  void reportRemovalResultsLockSlowModeAndTheEndOfTheSession() {
    // The moderator lifts the guest's mute from the list of the muted.
    visible(moderator, "mod-mutes-list").findElement(By.tagName("button")).sendKeys(Keys.ENTER);
    waitInRoom(guest);
    announced(guest, "Sie können wieder schreiben");

    send(guest, "Kaufen Sie unsere Solardächer!");
    send(member, "Wir schlagen den Dienstag vor.");
    WebElement advert = messageWith(member, "Kaufen Sie unsere Solardächer!");

    // The member reports the guest's message with a reason, in an accessible dialog.
    WebElement report = advert.findElement(By.cssSelector("button[data-action='report']"));
    report.sendKeys(Keys.ENTER);
    visible(member, "report-dialog");
    assertEquals("report-reason", member.switchTo().activeElement().getAttribute("id"));
    member.switchTo().activeElement().sendKeys("Werbung");
    member.findElement(By.id("report-dialog-submit")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.invisibilityOfElementLocated(By.id("report-dialog")));
    assertEquals(report, member.switchTo().activeElement(), "the focus is back on the report button");
    announced(member, "Danke, Ihre Meldung");

    // The moderator removes the reported message from the reports queue; everyone sees a tombstone.
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-reports-list"), "Werbung"));
    moderator.findElement(By.cssSelector("#mod-reports-list button.danger")).sendKeys(Keys.ENTER);
    waiting(member).until(d -> countText(member, "Kaufen Sie unsere Solardächer!") == 0);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-messages"), "Von der Moderation entfernt."));
    // Its author sees who removed it and why.
    waiting(guest).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-messages"),
        "Von Mona Moderation (Moderation) entfernt. Grund: Werbung"));

    // A message becomes a result and is pinned; the member sees both.
    messageWith(moderator, "Wir schlagen den Dienstag vor.").findElement(By.cssSelector("button[data-action='result-mark']")).sendKeys(Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-results-list"), "Wir schlagen den Dienstag vor."));
    waiting(moderator).until(d -> !messageWith(moderator, "Wir schlagen den Dienstag vor.")
        .findElements(By.cssSelector("button[data-action='pin']")).isEmpty());
    messageWith(moderator, "Wir schlagen den Dienstag vor.").findElement(By.cssSelector("button[data-action='pin']")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-pins"), "Wir schlagen den Dienstag vor."));
    waiting(member).until(d -> messageWith(member, "Wir schlagen den Dienstag vor.").getText().contains("Ergebnis"));

    // Locked: the member's composer says so; unlocked again, it opens.
    visible(moderator, "mod-lock").sendKeys(Keys.SPACE);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("composer-readonly"), "Der Raum ist gesperrt"));
    announced(member, "Der Raum ist gesperrt");
    visible(moderator, "mod-lock").sendKeys(Keys.SPACE);
    waitInRoom(member);

    // Slow mode: the second post within the window waits visibly and counts down.
    WebElement seconds = visible(moderator, "mod-slow-seconds");
    seconds.sendKeys(Keys.chord(Keys.CONTROL, "a"), "30", Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-rules"), "alle 30 Sekunden"));
    send(member, "Erste Nachricht im langsamen Modus");
    waiting(member).until(d -> countText(member, "Erste Nachricht im langsamen Modus") == 1);
    send(member, "Zweite Nachricht im langsamen Modus");
    WebElement wait = visible(member, "composer-slow");
    assertTrue(wait.getText().contains("Langsamer Modus (30 s)"), wait.getText());

    // The moderator ends the session after confirming; everyone in the room is told.
    visible(moderator, "mod-end-session").sendKeys(Keys.ENTER);
    visible(moderator, "end-session-dialog");
    moderator.findElement(By.id("end-session-dialog-submit")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.visibilityOfElementLocated(By.id("room-ended")));
    announced(member, "Die Werkstatt ist beendet");
    assertFalse(member.findElement(By.id("composer-input")).isEnabled());

    // After the session, its page lists the results and offers them as Markdown.
    member.get(server.baseUrl() + "/#/sessions/" + sessionId);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-results"), "Wir schlagen den Dienstag vor."));
    String markdown = (String) member.executeAsyncScript("""
        const done = arguments[0];
        fetch(document.getElementById('session-results-download').href).then((r) => r.text()).then(done, (e) => done(String(e)));
        """);
    assertTrue(markdown.startsWith("# Ergebnisse: Werkstatt Lippeauen"), markdown);
    assertTrue(markdown.contains("- Wir schlagen den Dienstag vor. — Ben Bauer"), markdown);
  }

  @Test
  @Order(3)
  void hiddenListRemovalAndRejoinPromotionInANewSession() {
    ApiClient api = server.loggedIn("kora@mod.de", PASSWORD);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    ApiClient.Response created = api.post("/api/spaces/" + spaceId + "/sessions", Map.of(
        "title", "Werkstatt Haard",
        "startsAt", now.minusMinutes(1).toString(),
        "endsAt", now.plusHours(1).toString(),
        "moderators", List.of(monaId)));
    assertEquals(201, created.status(), created.body());
    long second = created.json().getLong("id");
    enter(moderator, second);
    enter(member, second);
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-participants"), "Ben Bauer"));

    // Hidden list: the member sees only the moderator and themself, and is told why.
    visible(moderator, "mod-hide").sendKeys(Keys.SPACE);
    visible(member, "room-participants-hidden");
    announced(member, "Die Liste der Teilnehmenden ist ausgeblendet.");
    visible(moderator, "mod-hide").sendKeys(Keys.SPACE);
    waiting(member).until(ExpectedConditions.invisibilityOfElementLocated(By.id("room-participants-hidden")));

    // Floor only: the member may write once given the floor, and no longer when it is taken back.
    visible(moderator, "mod-floor-only").sendKeys(Keys.SPACE);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("composer-readonly"), "nur, wer das Wort hat"));
    visible(member, "room-hand").sendKeys(Keys.ENTER);
    waiting(moderator).until(ExpectedConditions.textToBePresentInElementLocated(By.id("mod-hands-list"), "Ben Bauer"));
    moderator.findElement(By.cssSelector("#mod-hands-list button")).sendKeys(Keys.ENTER);
    waitInRoom(member);
    visible(moderator, "mod-floor-take").sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("composer-readonly"), "nur, wer das Wort hat"));
    announced(member, "Niemand hat mehr das Wort.");
    visible(moderator, "mod-floor-only").sendKeys(Keys.SPACE);
    waitInRoom(member);

    // Removed: the member is out at once, told by whom and why, and may join again.
    String benKey = "u" + benId;
    WebElement row = waiting(moderator).until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#room-participants li[data-key='" + benKey + "']")));
    row.findElement(By.cssSelector("button[aria-expanded]")).sendKeys(Keys.ENTER);
    WebElement remove = row.findElement(By.cssSelector("button[data-action='remove']"));
    // Escape closes the dialog and gives the focus back to the button that opened it.
    remove.sendKeys(Keys.ENTER);
    visible(moderator, "remove-reason").sendKeys(Keys.ESCAPE);
    waiting(moderator).until(ExpectedConditions.numberOfElementsToBe(By.id("remove-dialog"), 0));
    assertEquals(remove.getAttribute("id"), moderator.switchTo().activeElement().getAttribute("id"));
    moderator.switchTo().activeElement().sendKeys(Keys.ENTER);
    visible(moderator, "remove-reason").sendKeys("Kurze Pause");
    moderator.findElement(By.id("remove-dialog-submit")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-problem"),
        "Mona Moderation hat Sie aus dem Raum entfernt. Sie können wieder beitreten. Grund: Kurze Pause"));
    assertFalse(member.findElement(By.id("composer-input")).isEnabled());
    visible(member, "room-rejoin").sendKeys(Keys.ENTER);
    waitInRoom(member);

    // Promoted: the member gets the moderator panel at once; demoted, it goes again.
    row = waiting(moderator).until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#room-participants li[data-key='" + benKey + "']")));
    if (row.findElements(By.cssSelector("button[data-action='promote']")).stream().noneMatch(WebElement::isDisplayed)) {
      row.findElement(By.cssSelector("button[aria-expanded]")).sendKeys(Keys.ENTER);
    }
    row.findElement(By.cssSelector("button[data-action='promote']")).sendKeys(Keys.ENTER);
    visible(member, "mod-panel");
    announced(member, "Sie moderieren jetzt diese Werkstatt.");
    row = waiting(moderator).until(d -> d.findElement(By.cssSelector("#room-participants li[data-key='" + benKey + "']")));
    waiting(moderator).until(d -> !d.findElements(By.cssSelector("#room-participants li[data-key='" + benKey + "'] button[data-action='demote']")).isEmpty());
    moderator.findElement(By.cssSelector("#room-participants li[data-key='" + benKey + "'] button[data-action='demote']")).sendKeys(Keys.ENTER);
    waiting(member).until(ExpectedConditions.numberOfElementsToBe(By.id("mod-panel"), 0));
    announced(member, "Sie moderieren diese Werkstatt nicht mehr.");
  }

  /** Goes to a session's page and into its room (already signed in). */
  private void enter(ChromeDriver browser, long session) {
    browser.get(server.baseUrl() + "/#/sessions/" + session);
    visible(browser, "session-join").sendKeys(Keys.ENTER);
    waitInRoom(browser);
  }

  /** Types into the message box and presses Enter. */
  private static void send(ChromeDriver browser, String text) {
    WebElement box = visible(browser, "composer-input");
    box.sendKeys(text, Keys.ENTER);
    waiting(browser).until(d -> box.getAttribute("value").isEmpty());
  }

  private static WebElement messageWith(ChromeDriver browser, String text) {
    return waiting(browser).until(d -> d.findElements(By.cssSelector("#room-messages li.message")).stream()
        .filter(li -> li.findElements(By.cssSelector(".message-text")).stream().anyMatch(e -> e.getText().trim().equals(text)))
        .findFirst().orElse(null));
  }

  private static long countText(ChromeDriver browser, String text) {
    Object n = browser.executeScript("return [...document.querySelectorAll('#room-messages li.message .message-text')]"
        + ".filter((e) => e.textContent.trim() === arguments[0]).length;", text);
    return ((Number) n).longValue();
  }

  @Test
  @Order(4)
  void theSpacesCoordinatorReadsTheModerationLogAndOthersCannot() {
    // A member who is no coordinator gets the error page, not the log.
    member.get(server.baseUrl() + "/#/rooms/" + roomId + "/log");
    waiting(member).until(d -> d.findElements(By.tagName("h1")).stream().anyMatch(e -> e.getText().contains("Kein Zugriff")));
    assertTrue(member.findElements(By.id("modlog")).isEmpty(), "no log for a plain member");
    // The coordinator finds the link in the room and reads, by keyboard, who did what to whom and why.
    moderator.get(server.baseUrl() + "/#/");
    visible(moderator, "logout-button").sendKeys(Keys.ENTER);
    moderator.get(server.baseUrl() + "/#/login");
    visible(moderator, "login-email").sendKeys("kora@mod.de");
    visible(moderator, "login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible(moderator, "logout-button");
    moderator.get(server.baseUrl() + "/#/rooms/" + roomId);
    visible(moderator, "room-modlog-link").sendKeys(Keys.ENTER);
    WebElement rows = visible(moderator, "modlog-rows");
    waiting(moderator).until(d -> rows.getText().contains("Stummgeschaltet"));
    String text = rows.getText();
    assertTrue(text.contains("Mona Moderation"), text);
    assertTrue(text.contains("Umfrage gestartet"), text);
    assertTrue(text.contains("Werkstatt beendet"), text);
  }

  /** Signs in through the page and enters the session's room from the session page. */
  private void signInAndEnter(ChromeDriver browser, String email) {
    browser.get(server.baseUrl() + "/#/login");
    visible(browser, "login-email").sendKeys(email);
    visible(browser, "login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible(browser, "logout-button");
    browser.get(server.baseUrl() + "/#/sessions/" + sessionId);
    visible(browser, "session-join").sendKeys(Keys.ENTER);
    waitInRoom(browser);
  }

  /** Opens a socket of its own in the page (same cookies, same origin), joins and posts; the answer's error code. */
  private static String postFromPage(ChromeDriver browser, String text) {
    Object code = browser.executeAsyncScript("""
        const [room, text, done] = arguments;
        const ws = new WebSocket(`ws://${location.host}/ws`);
        ws.onmessage = (e) => {
          const f = JSON.parse(e.data);
          if (f.type === 'hello') ws.send(JSON.stringify({ id: 'j', type: 'join', room }));
          else if (f.id === 'j') ws.send(JSON.stringify({ id: 'p', type: 'post', room, key: 'try-' + Date.now(), text }));
          else if (f.id === 'p') { ws.close(); done(f.type === 'error' ? f.code : 'accepted'); }
        };
        ws.onerror = () => done('socket_error');
        """, roomId, text);
    return String.valueOf(code);
  }

  /**
   * Waits until the room's live region has said the text. Read from the DOM: the region is visually
   * hidden, and WebDriver's visible text leaves out all but the first of its lines.
   */
  private static void announced(ChromeDriver browser, String text) {
    waiting(browser).until(d -> String.valueOf(((ChromeDriver) d).executeScript(
        "return document.getElementById('room-live')?.textContent ?? '';")).contains(text));
  }

  private static boolean inRoom(WebDriver browser) {
    return Boolean.TRUE.equals(((ChromeDriver) browser).executeScript(
        "const box = document.getElementById('composer-input'); return Boolean(box && !box.disabled);"));
  }

  private static void waitInRoom(ChromeDriver browser) {
    waiting(browser).until(d -> inRoom(d) && "connected".equals(d.findElement(By.id("connection-state")).getAttribute("data-state")));
  }

  private static WebElement visible(ChromeDriver browser, String id) {
    return waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting(ChromeDriver browser) {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }
}
