package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.ot.Delta;
import de.werkraum.profile.DeltaCodec;
import de.werkraum.profile.ProfileSocketHandler;
import de.werkraum.support.ApiClient;
import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two members of a space co-edit one project profile, each in their own headless Chromium, typing
 * real keystrokes into the same Quill field at the same time (at two ends, and at the same spot); both
 * end with the same text, which is the server's and the op log's. Then one of them loses the network and keeps typing, and later the
 * server restarts while someone types: what was written arrives once, and a reload shows it. Status and
 * tags set in one browser appear in the other at once. Text typed offline while more happened than a
 * returning editor can catch up on is offered back to copy, never silently dropped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfileBrowserTest {

  static final String PASSWORD = "Halde-Haniel-Bottrop-2026";
  static final String FIELD = "summary";
  static TestPlatform server;
  static ChromeDriver anna;
  static ChromeDriver ben;
  static ApiClient annaApi;
  static long space;
  static long profile;

  @BeforeAll
  static void start() {
    // One test arranges 5,001 edits from one socket at once (far past a person's submit limit): the burst
    // is raised so that it can; the rate is the default one.
    server = TestPlatform.start(Map.of("WERKRAUM_WRITE_LIMITS", "profile_submit=6000/1200"));
    space = server.createSpace("Innovationsraum Emscher-Quartiere");
    server.addToSpace(space, server.createUser("anna@profil.de", PASSWORD, "Anna Adler", false), "coordinator");
    server.addToSpace(space, server.createUser("ben@profil.de", PASSWORD, "Ben Berger", false), "member");
    annaApi = server.loggedIn("anna@profil.de", PASSWORD);
    anna = Browser.start();
    ben = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (anna != null) {
      anna.quit();
    }
    if (ben != null) {
      ben.quit();
    }
    server.close();
  }

  @Test
  @Order(1)
  void twoMembersTypingIntoOneFieldAtOnceEndWithTheSameTextHoldingBoth() throws Exception {
    // Anna creates the profile from the space page by keyboard; Ben opens it from the space's list.
    signIn(anna, "anna@profil.de");
    anna.get(server.baseUrl() + "/#/spaces/" + space);
    visible(anna, "space-profile-create").sendKeys(Keys.ENTER);
    waiting(anna).until(ExpectedConditions.urlMatches("#/profiles/\\d+$"));
    profile = Long.parseLong(anna.getCurrentUrl().replaceAll(".*#/profiles/", ""));
    waitReady(anna);
    signIn(ben, "ben@profil.de");
    ben.get(server.baseUrl() + "/#/spaces/" + space);
    visible(ben, "space-profile-" + profile).findElement(By.tagName("a")).sendKeys(Keys.ENTER);
    waitReady(ben);
    assertEquals("Projektsteckbrief (ohne Titel)", ben.findElement(By.tagName("h1")).getText());

    // The editor is a labelled text box, and its toolbar buttons have names.
    WebElement editor = editor(anna);
    assertEquals("textbox", editor.getAttribute("role"));
    assertEquals("Kurzbeschreibung", anna.findElement(By.id(editor.getAttribute("aria-labelledby"))).getText());
    assertEquals("Fett", anna.findElement(By.id("profile-summary-bold")).getAttribute("aria-label"));

    type(anna, Keys.chord(Keys.CONTROL, Keys.END), "Mitte.");
    waitForText(ben, "Mitte.");

    // Both type at once: Anna at the start, Ben at the end of the same field.
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> annaTypes = CompletableFuture.runAsync(() -> {
      await(go);
      type(anna, Keys.chord(Keys.CONTROL, Keys.HOME), "Anna schreibt vorne. ");
    });
    CompletableFuture<Void> benTypes = CompletableFuture.runAsync(() -> {
      await(go);
      type(ben, Keys.chord(Keys.CONTROL, Keys.END), " Ben schreibt hinten.");
    });
    go.countDown();
    CompletableFuture.allOf(annaTypes, benTypes).get(60, TimeUnit.SECONDS);

    String expected = "Anna schreibt vorne. Mitte. Ben schreibt hinten.";
    waitForText(anna, expected);
    waitForText(ben, expected);
    waitSaved(anna);
    waitSaved(ben);
    assertStored(expected);

    // Each sees the other: in the list of who is here, and as a named caret in the field.
    waiting(anna).until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-presence"), "Ben Berger"));
    waiting(ben).until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-presence"), "Anna Adler"));
    waiting(ben).until(d -> d.findElements(By.cssSelector("#profile-summary-host .remote-caret-name")).stream()
        .anyMatch(e -> e.getText().equals("Anna Adler")));
  }

  @Test
  @Order(2)
  void typingAtTheSameSpotAtOnceKeepsEachPersonsWordsTogether() throws Exception {
    // In an empty field, and at the start of one with text: both carets at one spot, both typing at once.
    String field = "goals";
    String fromAnna = "Wohnraum schaffen";
    String fromBen = "Quartiersplatz beleben";
    String both = typeAtOnce(field, Keys.chord(Keys.CONTROL, Keys.END), fromAnna, fromBen, "");
    // Every keystroke of both exactly once, and each person's in one piece (they used to interleave).
    assertTrue(both.equals(fromAnna + fromBen) || both.equals(fromBen + fromAnna), both);
    ApiClient.Response r = annaApi.get("/api/profiles/" + profile);
    assertEquals(both, DeltaCodec.read(r.json().getJsonObject("fields").getJsonArray(field)).text());

    String other = "challenge";
    String before = "Leerstand im Quartier.";
    type(anna, other, Keys.chord(Keys.CONTROL, Keys.END), before);
    waiting(ben).until(d -> text(d, other).equals(before));
    String petra = "Petra Paulsen ";
    String maria = "Maria Marquardt ";
    String atStart = typeAtOnce(other, Keys.chord(Keys.CONTROL, Keys.HOME), petra, maria, before);
    assertTrue(atStart.equals(petra + maria + before) || atStart.equals(maria + petra + before), atStart);
    r = annaApi.get("/api/profiles/" + profile);
    assertEquals(atStart, DeltaCodec.read(r.json().getJsonObject("fields").getJsonArray(other)).text());
  }

  /** Anna and Ben move to one spot of a field and type at the same time; answers the text both end with. */
  private static String typeAtOnce(String field, CharSequence move, String fromAnna, String fromBen, String before) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> annaTypes = CompletableFuture.runAsync(() -> {
      await(go);
      type(anna, field, move, fromAnna);
    });
    CompletableFuture<Void> benTypes = CompletableFuture.runAsync(() -> {
      await(go);
      type(ben, field, move, fromBen);
    });
    go.countDown();
    CompletableFuture.allOf(annaTypes, benTypes).get(60, TimeUnit.SECONDS);
    waitSaved(anna);
    waitSaved(ben);
    int length = before.length() + fromAnna.length() + fromBen.length();
    waiting(anna).until(d -> text(d, field).length() == length && text(d, field).equals(text(ben, field)));
    String both = text(anna, field);
    assertEquals(sorted(before + fromAnna + fromBen), sorted(both), both);
    return both;
  }

  @Test
  @Order(3)
  void anEditorWhoGoesOfflineKeepsTypingAndTheTextArrivesOnceWhenBack() {
    setOffline(ben, true);
    waiting(ben).until(d -> !"connected".equals(connectionState(d)));
    type(ben, Keys.chord(Keys.CONTROL, Keys.END), " Offline weitergeschrieben.");
    waiting(ben).until(d -> "waiting".equals(saveState(d)));
    type(anna, Keys.chord(Keys.CONTROL, Keys.HOME), "Neu: ");
    String annaSees = "Neu: Anna schreibt vorne. Mitte. Ben schreibt hinten.";
    waitForText(anna, annaSees);
    assertEquals(annaSees, text(anna), "nothing of the offline text before the connection is back");

    setOffline(ben, false);
    String expected = annaSees + " Offline weitergeschrieben.";
    waitForText(anna, expected);
    waitForText(ben, expected);
    waitSaved(ben);
    assertEquals("connected", connectionState(ben));
    assertStored(expected);
  }

  @Test
  @Order(4)
  void aServerRestartWhileTypingLosesNothingAndAReloadShowsTheStoredProfile() {
    server.stopServer();
    waiting(anna).until(d -> !"connected".equals(connectionState(d)));
    type(anna, Keys.chord(Keys.CONTROL, Keys.END), " Beim Neustart getippt.");
    waiting(anna).until(d -> "waiting".equals(saveState(d)));
    server.startAgain();

    String expected = "Neu: Anna schreibt vorne. Mitte. Ben schreibt hinten. Offline weitergeschrieben. Beim Neustart getippt.";
    waitForText(ben, expected);
    waitForText(anna, expected);
    waitSaved(anna);
    assertStored(expected);

    ben.navigate().refresh();
    waitReady(ben);
    assertEquals(expected, text(ben));
    // Authorship in colour: both authors are named in the legend.
    visible(ben, "profile-show-authors").sendKeys(Keys.SPACE);
    WebElement legend = visible(ben, "profile-author-legend");
    assertTrue(legend.getText().contains("Anna Adler") && legend.getText().contains("Ben Berger"), legend.getText());
  }

  @Test
  @Order(5)
  void statusAndTagsSetInOneBrowserAppearInTheOtherAtOnceAndInTheSpaceList() {
    recordAnnouncements(ben);
    // Anna picks a status and sets it, then adds a tag by typing and Enter.
    new Select(visible(anna, "profile-status-select")).selectByValue("review");
    visible(anna, "profile-status-apply").sendKeys(Keys.ENTER);
    waiting(anna).until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-status"), "In Abstimmung"));
    visible(anna, "profile-tag-input").sendKeys("Wohnen", Keys.ENTER);
    waitForTags(anna, "Wohnen");

    // Ben sees and hears both without reloading.
    waiting(ben).until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-status"), "In Abstimmung"));
    assertEquals("review", new Select(ben.findElement(By.id("profile-status-select"))).getFirstSelectedOption().getAttribute("value"));
    waitForTags(ben, "Wohnen");
    waitAnnounced(ben, "Anna Adler", "In Abstimmung");
    waitAnnounced(ben, "Anna Adler", "Wohnen");

    // Ben adds one and removes Anna's by keyboard; Anna sees it.
    visible(ben, "profile-tag-input").sendKeys("Klimaschutz", Keys.ENTER);
    waitForTags(ben, "Wohnen", "Klimaschutz");
    WebElement remove = ben.findElement(By.cssSelector("#profile-tags .tag-remove[data-tag='Wohnen']"));
    assertEquals("Schlagwort „Wohnen“ entfernen", remove.getAccessibleName());
    remove.sendKeys(Keys.ENTER);
    waitForTags(ben, "Klimaschutz");
    waitForTags(anna, "Klimaschutz");
    JsonObject stored = annaApi.get("/api/profiles/" + profile).json();
    assertEquals("review", stored.getString("status"));
    assertEquals(List.of("Klimaschutz"), stored.getJsonArray("tags").getList());

    // The space's list shows both, translated.
    anna.get(server.baseUrl() + "/#/spaces/" + space);
    WebElement row = visible(anna, "space-profile-" + profile);
    waiting(anna).until(ExpectedConditions.textToBePresentInElementLocated(By.id("space-profile-" + profile + "-tags"), "Klimaschutz"));
    assertTrue(row.getText().contains("In Abstimmung"), row.getText());
  }

  @Test
  @Order(6)
  void textTypedOfflineWhileTooMuchHappenedIsOfferedBackNotDropped() {
    ben.get(server.baseUrl() + "/#/profiles/" + profile);
    waitReady(ben);
    String before = text(ben);
    recordAnnouncements(ben);
    setOffline(ben, true);
    waiting(ben).until(d -> !"connected".equals(connectionState(d)));
    String late = " Offline geschrieben, während sehr viel geschah.";
    type(ben, Keys.chord(Keys.CONTROL, Keys.END), late);
    waiting(ben).until(d -> "waiting".equals(saveState(d)));

    // Meanwhile more edits than a returning client may catch up on.
    try (WsClient editor = WsClient.as(server, annaApi)) {
      long version = editor.ok("profile_open", Map.of("profile", profile)).getLong("version");
      int count = ProfileSocketHandler.MAX_CATCH_UP_OPS + 1;
      for (int seq = 1; seq <= count; ) {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 100 && seq <= count; i++, seq++) {
          ids.add(editor.send("profile_submit", Map.of("profile", profile, "field", "funding", "delta",
              List.of(Map.of("insert", "€")), "baseVersion", version, "client", "many-edits", "seq", seq)));
        }
        for (String id : ids) {
          JsonObject answer = editor.next(f -> id.equals(f.getValue("id")), 20_000);
          assertEquals("ack", answer.getString("type"), answer.encode());
          version = Math.max(version, answer.getJsonObject("result").getLong("version"));
        }
      }
    }

    setOffline(ben, false);
    // The text comes back to Ben to copy, the field shows what the server has, nothing is pending.
    WebElement rescue = visible(ben, "profile-rescue");
    waiting(ben).until(d -> rescuedTexts(ben).stream().anyMatch(t -> t.contains(late.trim())));
    assertTrue(rescue.getText().contains("Kurzbeschreibung") && rescue.getText().contains("zu weit zurück"), rescue.getText());
    waitAnnounced(ben, "nicht übernommen");
    waitReady(ben);
    waitForText(ben, before);
    waitSaved(ben);
    assertStored(before);
    assertEquals(ProfileSocketHandler.MAX_CATCH_UP_OPS + 1, DeltaCodec.read(annaApi.get("/api/profiles/" + profile).json()
        .getJsonObject("fields").getJsonArray("funding")).text().length());
  }

  @SuppressWarnings("unchecked")
  private static List<String> rescuedTexts(ChromeDriver browser) {
    return (List<String>) browser.executeScript(
        "return [...document.querySelectorAll('#profile-rescue textarea')].map((e) => e.value);");
  }

  private static void waitForTags(ChromeDriver browser, String... expected) {
    try {
      waiting(browser).until(d -> tags(browser).equals(List.of(expected)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("expected tags " + List.of(expected) + " but the page shows " + tags(browser), e);
    }
  }

  /** The tags the page shows (read in one go: the list is drawn anew on every change). */
  @SuppressWarnings("unchecked")
  private static List<String> tags(ChromeDriver browser) {
    return (List<String>) browser.executeScript(
        "return [...document.querySelectorAll('#profile-tags .tag-text')].map((e) => e.textContent);");
  }

  /** Keeps every text the page's live region announces from now on (each one stays only until the next). */
  private static void recordAnnouncements(ChromeDriver browser) {
    browser.executeScript("window.__announced = [];"
        + " new MutationObserver(() => { const t = document.getElementById('status').textContent;"
        + " if (t) window.__announced.push(t); }).observe(document.getElementById('status'), {childList: true, characterData: true, subtree: true});");
  }

  private static void waitAnnounced(ChromeDriver browser, String... parts) {
    try {
      waiting(browser).until(d -> announced(browser).stream().anyMatch(text -> java.util.Arrays.stream(parts).allMatch(text::contains)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("nothing announced with " + List.of(parts) + "; announced: " + announced(browser), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> announced(ChromeDriver browser) {
    return (List<String>) browser.executeScript("return window.__announced || [];");
  }

  private void signIn(ChromeDriver browser, String email) {
    browser.get(server.baseUrl() + "/#/login");
    visible(browser, "login-email").sendKeys(email);
    visible(browser, "login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible(browser, "logout-button");
  }

  private static void waitReady(ChromeDriver browser) {
    waiting(browser).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
        "const p = document.getElementById('profile');"
            + " return Boolean(p && p.dataset.ready === 'true' && document.getElementById('profile-summary-editor')"
            + ".getAttribute('contenteditable') === 'true');"))
        && "connected".equals(connectionState(d)));
  }

  private static WebElement editor(ChromeDriver browser) {
    return editor(browser, FIELD);
  }

  private static WebElement editor(ChromeDriver browser, String field) {
    return visible(browser, "profile-" + field + "-editor");
  }

  /** Real keystrokes into the field's editor: first a move of the caret, then the text. */
  private static void type(ChromeDriver browser, CharSequence move, String text) {
    type(browser, FIELD, move, text);
  }

  private static void type(ChromeDriver browser, String field, CharSequence move, String text) {
    WebElement box = editor(browser, field);
    box.sendKeys(move);
    box.sendKeys(text);
  }

  private static String text(WebDriver browser) {
    return text(browser, FIELD);
  }

  /** The field as the editor holds it (without Quill's own last line break). */
  private static String text(WebDriver browser, String field) {
    return (String) ((ChromeDriver) browser).executeScript(
        "return window.Quill.find(document.getElementById(arguments[0])).getText().replace(/\\n$/, '');",
        "profile-" + field + "-host");
  }

  private static void waitForText(ChromeDriver browser, String expected) {
    try {
      waiting(browser).until(d -> expected.equals(text(d)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("expected '" + expected + "' but the editor holds '" + text(browser) + "'", e);
    }
  }

  private static String sorted(String text) {
    char[] chars = text.toCharArray();
    java.util.Arrays.sort(chars);
    return new String(chars);
  }

  private static void waitSaved(ChromeDriver browser) {
    waiting(browser).until(d -> "saved".equals(saveState(d)));
  }

  /** The server's document, the op log replayed from version 0, and the list title agree with the browsers. */
  private static void assertStored(String expected) {
    ApiClient.Response r = annaApi.get("/api/profiles/" + profile);
    assertEquals(200, r.status(), r.body());
    Delta stored = DeltaCodec.read(r.json().getJsonObject("fields").getJsonArray(FIELD));
    assertEquals(expected, stored.text());
    Delta replayed = Delta.EMPTY;
    for (Row row : server.pool().preparedQuery("SELECT delta FROM profile_ops WHERE profile_id = $1 AND field = $2 ORDER BY version")
        .execute(Tuple.of(profile, FIELD)).await()) {
      replayed = replayed.compose(DeltaCodec.read(row.getValue(0)));
    }
    assertEquals(stored, replayed);
    assertEquals(0, server.sqlLong("SELECT count(*) - count(DISTINCT (client, seq)) FROM profile_ops WHERE profile_id = $1", profile),
        "no edit committed twice");
  }

  private static void setOffline(ChromeDriver browser, boolean offline) {
    browser.executeCdpCommand("Network.enable", Map.of());
    browser.executeCdpCommand("Network.emulateNetworkConditions",
        Map.of("offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  private static String connectionState(WebDriver browser) {
    List<WebElement> found = browser.findElements(By.id("connection-state"));
    return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
  }

  private static String saveState(WebDriver browser) {
    List<WebElement> found = browser.findElements(By.id("profile-save-state"));
    return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static WebElement visible(ChromeDriver browser, String id) {
    return waiting(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting(WebDriver browser) {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }
}
