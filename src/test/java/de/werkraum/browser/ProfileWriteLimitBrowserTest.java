package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.profile.DeltaCodec;
import de.werkraum.support.ApiClient;
import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person typing faster than the server's submit limit loses nothing: the page sends the refused edit
 * again when the server says, with the keystrokes of the meantime gathered behind it. The server runs
 * with a tiny limit (two at once, then one a second) so that ordinary typing meets it.
 */
class ProfileWriteLimitBrowserTest {

  static final String PASSWORD = "Landschaftspark-Duisburg-Nord";
  static TestPlatform server;
  static ApiClient api;
  static long space;
  static ChromeDriver browser;

  @BeforeAll
  static void start() {
    server = TestPlatform.start(Map.of("WERKRAUM_WRITE_LIMITS", "profile_submit=2/60"));
    space = server.createSpace("Schnell tippen");
    server.addToSpace(space, server.createUser("carla@profil.de", PASSWORD, "Carla Conrad", false), "member");
    api = server.loggedIn("carla@profil.de", PASSWORD);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    server.close();
  }

  @Test
  void typingPastTheSubmitLimitIsSavedWholeAndNothingIsOfferedBack() {
    ApiClient.Response created = api.post("/api/spaces/" + space + "/profiles", Map.of());
    assertEquals(201, created.status(), created.body());
    long profile = created.json().getLong("id");
    // Counts the refusals the page gets, so that the test knows the limit was met.
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        window.__limited = 0;
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', (e) => {
              if (typeof e.data === 'string' && e.data.includes('"rate_limited"')) window.__limited += 1;
            });
          }
        };"""));
    browser.get(server.baseUrl() + "/#/login");
    visible("login-email").sendKeys("carla@profil.de");
    visible("login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible("logout-button");
    browser.get(server.baseUrl() + "/#/profiles/" + profile);
    waiting().until(d -> Boolean.TRUE.equals(browser.executeScript(
        "const p = document.getElementById('profile');"
            + " return Boolean(p && p.dataset.ready === 'true' && document.getElementById('profile-summary-editor')"
            + ".getAttribute('contenteditable') === 'true');")));

    String typed = "Wir bauen Dachgärten auf Garagenhöfen, Schritt für Schritt.";
    WebElement editor = visible("profile-summary-editor");
    editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
    for (String word : typed.split("(?<= )")) {
      editor.sendKeys(word);
    }

    waiting().until(d -> typed.equals(stored(profile)));
    waiting().until(d -> "saved".equals(attribute("profile-save-state", "data-state")));
    assertTrue(((Number) browser.executeScript("return window.__limited;")).longValue() > 0, "the page met the limit");
    assertEquals(typed, browser.executeScript(
        "return window.Quill.find(document.getElementById('profile-summary-host')).getText().replace(/\\n$/, '');"));
    List<WebElement> rescued = browser.findElements(By.cssSelector("#profile-rescue textarea"));
    assertTrue(rescued.isEmpty(), "nothing offered back");
    assertEquals(0, server.sqlLong("SELECT count(*) - count(DISTINCT (client, seq)) FROM profile_ops WHERE profile_id = $1", profile),
        "no edit committed twice");
  }

  private static String stored(long profile) {
    ApiClient.Response r = api.get("/api/profiles/" + profile);
    return DeltaCodec.read(r.json().getJsonObject("fields").getJsonArray("summary")).text();
  }

  private static String attribute(String id, String name) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? null : found.get(0).getAttribute(name);
  }

  private static WebElement visible(String id) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait((WebDriver) browser, Duration.ofSeconds(30));
  }
}
