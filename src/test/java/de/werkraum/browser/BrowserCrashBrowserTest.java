package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.profile.DeltaCodec;
import de.werkraum.support.ApiClient;
import de.werkraum.support.Axe;
import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the page calls "gesichert" survives a crash of the whole browser. A member with a persistent
 * Chromium profile loses the connection, types into a profile field in one tab and sends three chat
 * messages in another; once the page says they are kept in this browser, the Chromium processes are
 * killed with SIGKILL (as an OS crash, a power cut or an OOM kill would) two seconds later. Chromium
 * is launched again on the same profile folder, the server is back, and the person is told what was
 * restored; the server has each edit and each message exactly once. axe-core checks every page seen.
 */
class BrowserCrashBrowserTest {

  static final String PASSWORD = "Zollverein-Schacht-12-2026";
  static final String EMAIL = "carla@absturz.de";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static TestPlatform server;
  static ApiClient api;
  static long profile;
  static long room;
  static long userId;
  static Path userData;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws IOException {
    server = TestPlatform.start();
    long space = server.createSpace("Innovationsraum Zollverein");
    userId = server.createUser(EMAIL, PASSWORD, "Carla Crash", false);
    server.addToSpace(space, userId, "coordinator");
    api = server.loggedIn(EMAIL, PASSWORD);
    ApiClient.Response created = api.post("/api/spaces/" + space + "/profiles", null);
    assertEquals(201, created.status(), created.body());
    profile = created.json().getLong("id");
    ApiClient.Response roomCreated = api.post("/api/spaces/" + space + "/rooms", Map.of("name", "Werkbank Zollverein"));
    assertEquals(201, roomCreated.status(), roomCreated.body());
    room = roomCreated.json().getLong("id");
    userData = Files.createTempDirectory("werkraum-chromium-profile-");
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      quietly(browser::quit);
    }
    server.close();
  }

  @Test
  void editsAndMessagesTheBrowserSaidItSecuredSurviveASigkillOfTheBrowserAndArriveOnce() throws Exception {
    browser = Browser.start(userData);
    recordAnnouncements(browser);
    browser.get(server.baseUrl() + "/#/login");
    visible(browser, "login-email");
    Axe.assertAccessible(browser, "login");
    signIn(browser);

    // Tab 1: the room; something sent while online.
    open(browser, "/#/rooms/" + room);
    waitInRoom(browser);
    send(browser, "Vor dem Absturz gesendet");
    waiting(browser).until(d -> count(browser, "Vor dem Absturz gesendet") == 1);
    Axe.assertAccessible(browser, "room");
    String roomTab = browser.getWindowHandle();

    // Tab 2: the profile; something saved while online.
    browser.switchTo().newWindow(WindowType.TAB);
    open(browser, "/#/profiles/" + profile);
    waitProfileReady(browser);
    type(browser, "Vor dem Absturz. ");
    waiting(browser).until(d -> "saved".equals(saveState(d)));
    Axe.assertAccessible(browser, "profile");

    // The connection goes; she keeps writing in both tabs.
    server.stopServer();
    waiting(browser).until(d -> !"connected".equals(connectionState(d)));
    String offlineText = "Offline getippt, dann stürzte der Browser ab.";
    type(browser, offlineText);
    // "gesichert" only once the browser has committed the edit to disk.
    waiting(browser).until(d -> "waiting".equals(saveState(d)));
    assertTrue(browser.findElement(By.id("profile-save-state")).getText().contains("gesichert"),
        browser.findElement(By.id("profile-save-state")).getText());
    assertTrue(visible(browser, "profile-presence-stale").getText().contains("nicht aktuell"));
    screenshot(browser, "profile-offline-secured");
    Axe.assertAccessible(browser, "profile offline");

    browser.switchTo().window(roomTab);
    waiting(browser).until(d -> !"connected".equals(connectionState(d)));
    List<String> offline = List.of("Offline 1: Treffen am Förderturm", "Offline 2: Bitte Pläne mitbringen",
        "Offline 3: Bis morgen!");
    for (String text : offline) {
      send(browser, text);
    }
    // Each waits visibly (a clock, "wartet auf Verbindung", the time it was written), kept in this browser.
    waiting(browser).until(d -> pendingStates(browser).equals(List.of("waiting:true", "waiting:true", "waiting:true")));
    WebElement outbox = browser.findElement(By.id("room-outbox"));
    assertTrue(outbox.getText().contains("wartet auf Verbindung") && outbox.getText().contains("geschrieben")
        && outbox.getText().contains("in diesem Browser gesichert"), outbox.getText());
    assertFalse(outbox.getText().contains("wird gesendet"), outbox.getText());
    assertEquals(3, browser.findElements(By.cssSelector("#room-outbox li time[datetime]")).size());
    assertEquals(3, browser.findElements(By.cssSelector("#room-outbox li svg.icon-clock")).size());
    // Who is here is no longer known: the list says so.
    assertTrue(visible(browser, "room-participants-stale").getText().contains("nicht aktuell"),
        browser.findElement(By.id("room-participants-stale")).getText());
    screenshot(browser, "room-offline-waiting");
    browser.executeScript("document.getElementById('room-participants-stale').scrollIntoView({block: 'center'});");
    screenshot(browser, "room-offline-participants");
    Axe.assertAccessible(browser, "room offline");

    // Two seconds later the whole browser dies, as in a power cut.
    Thread.sleep(2000);
    killBrowser();
    quietly(browser::quit);
    browser = null;

    // Relaunched on the same profile folder, with the server back.
    server.startAgain();
    browser = Browser.start(userData);
    recordAnnouncements(browser);
    open(browser, "/#/profiles/" + profile);
    waitProfileReady(browser);
    String expected = "Vor dem Absturz. " + offlineText;
    waiting(browser).until(d -> expected.equals(text(d)) && "saved".equals(saveState(d)));
    WebElement restored = visible(browser, "profile-restored");
    waiting(browser).until(d -> "saved".equals(d.findElement(By.id("profile-restored")).getAttribute("data-state")));
    assertTrue(restored.getText().contains("Wiederhergestellt") && restored.getText().contains("Kurzbeschreibung")
        && restored.getText().contains(offlineText), restored.getText());
    waitAnnounced(browser, "Wiederhergestellt", "Kurzbeschreibung");
    screenshot(browser, "profile-restored");
    Axe.assertAccessible(browser, "profile restored");

    open(browser, "/#/rooms/" + room);
    waitInRoom(browser);
    WebElement roomRestored = visible(browser, "room-restored");
    assertTrue(roomRestored.getText().contains("3 Nachrichten"), roomRestored.getText());
    waitAnnounced(browser, "Wiederhergestellt", "3 Nachrichten");
    waiting(browser).until(d -> d.findElements(By.cssSelector("#room-outbox li")).isEmpty());
    waiting(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-restored"), "gesendet: 3 Nachrichten"));
    for (String text : offline) {
      waiting(browser).until(d -> count(browser, text) == 1);
    }
    waiting(browser).until(d -> !d.findElement(By.id("room-participants-stale")).isDisplayed()); // current again
    screenshot(browser, "room-restored");
    Axe.assertAccessible(browser, "room restored");

    // The server has each edit and each message exactly once, in the order written.
    ApiClient.Response stored = api.get("/api/profiles/" + profile);
    assertEquals(200, stored.status(), stored.body());
    assertEquals(expected, DeltaCodec.read(stored.json().getJsonObject("fields").getJsonArray("summary")).text());
    assertEquals(0, server.sqlLong("SELECT count(*) - count(DISTINCT (client, seq)) FROM profile_ops WHERE profile_id = $1", profile),
        "no edit committed twice");
    for (String text : offline) {
      assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", room, text), text);
    }
    assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", room, "Vor dem Absturz gesendet"));
    List<String> order = new ArrayList<>();
    server.pool().preparedQuery("SELECT body FROM messages WHERE room_id = $1 AND body LIKE 'Offline %' ORDER BY seq")
        .execute(io.vertx.sqlclient.Tuple.of(room)).await().forEach(row -> order.add(row.getString(0)));
    assertEquals(offline, order);
    // Nothing of it is left in localStorage, and no tab heartbeat is written there.
    assertEquals(0L, ((Number) browser.executeScript(
        "return Object.keys(localStorage).filter((k) => /^werkraum\\.(profile-pending|profile-alive|outbox)\\./.test(k)).length;"))
        .longValue());
  }

  @Test
  void whatAnOlderVersionLeftInLocalStorageIsMovedOnceSentOnceAndRemoved() {
    // What an older version of the page left: an edit it had submitted (and the server committed,
    // its answer lost) with a later one, two posts (one the server has already), and its tab heartbeat.
    String me = "u" + userId;
    long version;
    String storedKey = "7b1e2c1a-0000-4000-8000-000000000001";
    String newKey = "7b1e2c1a-0000-4000-8000-000000000002";
    try (de.werkraum.support.WsClient old = de.werkraum.support.WsClient.as(server, api)) {
      version = old.ok("profile_open", Map.of("profile", profile)).getLong("version");
      old.ok("profile_submit", Map.of("profile", profile, "field", "goals", "delta", List.of(Map.of("insert", "Schon übernommen. ")),
          "baseVersion", version, "client", "tab-old", "seq", 1));
      old.ok("join", Map.of("room", room));
      old.ok("post", Map.of("room", room, "key", storedKey, "text", "Alt und schon angekommen"));
    }
    io.vertx.core.json.JsonObject pending = new io.vertx.core.json.JsonObject()
        .put("version", version)
        .put("inflight", Map.of("field", "goals", "delta", List.of(Map.of("insert", "Schon übernommen. ")), "client", "tab-old", "seq", 1))
        .put("buffer", List.of(List.of("goals", List.of(Map.of("retain", 18), Map.of("insert", "Noch nicht gesendet.")))))
        .put("savedAt", "2026-12-01T10:00:00Z");
    io.vertx.core.json.JsonObject outbox = new io.vertx.core.json.JsonObject()
        .put(storedKey, Map.of("key", storedKey, "text", "Alt und schon angekommen", "mentions", List.of(),
            "createdAt", "2026-12-01T09:59:00Z"))
        .put(newKey, Map.of("key", newKey, "text", "Alt und noch nicht gesendet", "mentions", List.of(),
            "createdAt", "2026-12-01T10:00:00Z"));

    ChromeDriver older = Browser.start();
    try {
      older.get(server.baseUrl() + "/#/login");
      signIn(older);
      older.executeScript("localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem(arguments[2], arguments[3]);"
              + " localStorage.setItem('werkraum.profile-alive.tab-old', String(Date.now()));",
          "werkraum.profile-pending." + me + "." + profile + ".tab-old", pending.encode(),
          "werkraum.outbox." + me + "." + room, outbox.encode());
      older.get(server.baseUrl() + "/#/profiles/" + profile);
      older.navigate().refresh();
      waitProfileReady(older);
      waiting(older).until(d -> "Schon übernommen. Noch nicht gesendet.".equals(text(d, "goals")) && "saved".equals(saveState(d)));
      assertTrue(visible(older, "profile-restored").getText().contains("Ziele"), older.findElement(By.id("profile-restored")).getText());

      open(older, "/#/rooms/" + room);
      waitInRoom(older);
      waiting(older).until(d -> d.findElements(By.cssSelector("#room-outbox li")).isEmpty()
          && count(older, "Alt und noch nicht gesendet") == 1 && count(older, "Alt und schon angekommen") == 1);
      Axe.assertAccessible(older, "room after moving old storage");

      // Moved, not copied: localStorage holds none of it any more.
      assertEquals(0L, ((Number) older.executeScript("return Object.keys(localStorage)"
          + ".filter((k) => /^werkraum\\.(profile-pending|profile-rescued|profile-alive|outbox)\\./.test(k)).length;")).longValue());
    } finally {
      quietly(older::quit);
    }
    assertEquals(1, server.sqlLong("SELECT count(*) FROM profile_ops WHERE profile_id = $1 AND client = 'tab-old' AND seq = 1", profile));
    ApiClient.Response stored = api.get("/api/profiles/" + profile);
    assertEquals("Schon übernommen. Noch nicht gesendet.",
        DeltaCodec.read(stored.json().getJsonObject("fields").getJsonArray("goals")).text());
    assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", room, "Alt und schon angekommen"));
    assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1 AND body = $2", room, "Alt und noch nicht gesendet"));
  }

  /** SIGKILL to every Chromium process of this profile folder (the browser and its children). */
  private static void killBrowser() throws Exception {
    String marker = "--user-data-dir=" + userData.toAbsolutePath();
    Set<ProcessHandle> all = new LinkedHashSet<>();
    ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(p -> {
          all.add(p);
          p.descendants().forEach(all::add);
        });
    assertFalse(all.isEmpty(), "no Chromium process runs with " + marker);
    List<ProcessHandle> killed = new ArrayList<>(all);
    killed.forEach(ProcessHandle::destroyForcibly);
    // Dead once gone or a zombie (a killed child of a killed parent may wait long to be reaped).
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (killed.stream().anyMatch(BrowserCrashBrowserTest::running)) {
      assertTrue(System.nanoTime() < until, "Chromium processes still running after SIGKILL");
      Thread.sleep(50);
    }
  }

  private static boolean running(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone
    }
  }

  private void signIn(ChromeDriver b) {
    visible(b, "login-email").sendKeys(EMAIL);
    visible(b, "login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible(b, "logout-button");
  }

  /** Goes to a page; signs in first if the browser has lost its session cookie (it may, in a crash). */
  private void open(ChromeDriver b, String hash) {
    b.get(server.baseUrl() + hash);
    waiting(b).until(d -> !d.findElements(By.id("login-email")).isEmpty() || !d.findElements(By.id("logout-button")).isEmpty());
    if (!b.findElements(By.id("login-email")).isEmpty()) {
      Axe.assertAccessible(b, "login");
      signIn(b);
      b.get(server.baseUrl() + hash);
    }
  }

  private static void waitInRoom(ChromeDriver b) {
    waiting(b).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
        "const box = document.getElementById('composer-input'); return Boolean(box && !box.disabled);"))
        && "connected".equals(connectionState(d)));
  }

  private static void waitProfileReady(ChromeDriver b) {
    waiting(b).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
        "const p = document.getElementById('profile');"
            + " return Boolean(p && p.dataset.ready === 'true' && document.getElementById('profile-summary-editor')"
            + ".getAttribute('contenteditable') === 'true');"))
        && "connected".equals(connectionState(d)));
  }

  private static void send(ChromeDriver b, String text) {
    WebElement box = visible(b, "composer-input");
    box.sendKeys(text);
    box.sendKeys(Keys.ENTER);
    waiting(b).until(d -> box.getAttribute("value").isEmpty());
  }

  private static void type(ChromeDriver b, String text) {
    WebElement box = visible(b, "profile-summary-editor");
    box.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
    box.sendKeys(text);
  }

  private static String text(WebDriver b) {
    return text(b, "summary");
  }

  private static String text(WebDriver b, String field) {
    return (String) ((ChromeDriver) b).executeScript(
        "return window.Quill.find(document.getElementById(arguments[0])).getText().replace(/\\n$/, '');",
        "profile-" + field + "-host");
  }

  /** "state:kept" of each waiting post, in order. */
  @SuppressWarnings("unchecked")
  private static List<String> pendingStates(ChromeDriver b) {
    return (List<String>) b.executeScript("return [...document.querySelectorAll('#room-outbox li')]"
        + ".map((li) => li.dataset.state + ':' + li.dataset.kept);");
  }

  private static long count(ChromeDriver b, String text) {
    Object n = b.executeScript("return [...document.querySelectorAll('#room-messages li.message .message-text')]"
        + ".filter((e) => e.textContent.trim() === arguments[0]).length;", text);
    return ((Number) n).longValue();
  }

  /** Keeps every text the page's live regions say, from the start of every page load. */
  private static void recordAnnouncements(ChromeDriver b) {
    b.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
        "window.__announced = []; const last = {};"
            + " new MutationObserver(() => { for (const id of ['status', 'room-live']) {"
            + " const e = document.getElementById(id); const t = e ? e.textContent : '';"
            + " if (t && t !== last[id]) window.__announced.push(t); last[id] = t; } })"
            + ".observe(document, {childList: true, subtree: true, characterData: true});"));
  }

  @SuppressWarnings("unchecked")
  private static void waitAnnounced(ChromeDriver b, String... parts) {
    try {
      waiting(b).until(d -> ((List<String>) b.executeScript("return window.__announced || [];")).stream()
          .anyMatch(t -> Stream.of(parts).allMatch(t::contains)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("nothing announced with " + List.of(parts) + "; announced: "
          + b.executeScript("return window.__announced || [];"), e);
    }
  }

  /** The page's viewport at 1280×800 (the window's frame added). */
  private static void viewport(ChromeDriver b) {
    Number frame = (Number) b.executeScript("return window.outerHeight - window.innerHeight;");
    b.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800 + frame.intValue()));
  }

  private static void screenshot(ChromeDriver b, String name) throws IOException {
    viewport(b);
    Path shot = b.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve("browser-crash-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String connectionState(WebDriver b) {
    List<WebElement> found = b.findElements(By.id("connection-state"));
    return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
  }

  private static String saveState(WebDriver b) {
    List<WebElement> found = b.findElements(By.id("profile-save-state"));
    return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
  }

  private static WebElement visible(ChromeDriver b, String id) {
    return waiting(b).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting(WebDriver b) {
    return new WebDriverWait(b, Duration.ofSeconds(20));
  }

  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      // the browser is gone already
    }
  }
}
