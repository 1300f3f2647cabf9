package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import de.werkraum.support.ApiClient;
import de.werkraum.support.Axe;
import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A member with a room and then a profile open in headless Chromium is removed from the space by a
 * coordinator: the open page says at once that access ended (and why), and writing stops, without a reload.
 */
class EndedRightsBrowserTest {

  static final String PASSWORD = "Halde-Haniel-Bottrop-1999";
  static TestPlatform server;
  static ChromeDriver browser;
  static ApiClient coordinator;
  static long space;
  static long memberId;
  static long room;
  static long profile;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Innovationsraum Emscher");
    long coord = server.createUser("kora@rights.de", PASSWORD, "Kora Koordination", false);
    memberId = server.createUser("rita@rights.de", PASSWORD, "Rita Raum", false);
    server.addToSpace(space, coord, "coordinator");
    server.addToSpace(space, memberId, "member");
    coordinator = server.loggedIn("kora@rights.de", PASSWORD);
    room = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Emscherufer")).json().getLong("id");
    profile = coordinator.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
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
  void removedFromTheSpaceTheOpenRoomAndProfileSayAccessEnded() throws java.io.IOException {
    browser.get(server.baseUrl() + "/#/login");
    visible("login-email").sendKeys("rita@rights.de");
    visible("login-password").sendKeys(PASSWORD, Keys.ENTER);
    visible("logout-button");

    browser.get(server.baseUrl() + "/#/rooms/" + room);
    waiting().until(d -> Boolean.TRUE.equals(browser.executeScript(
        "const box = document.getElementById('composer-input'); return Boolean(box && !box.disabled);")));
    assertEquals(204, coordinator.delete("/api/spaces/" + space + "/members/" + memberId).status());
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("room-problem"),
        "Sie sind nicht mehr Mitglied dieses Innovationsraums"));
    waiting().until(d -> !d.findElement(By.id("composer-input")).isEnabled());
    Axe.assertAccessible(browser, "room after access ended");
    screenshot("room");

    assertEquals(200, coordinator.put("/api/spaces/" + space + "/members/" + memberId, Map.of("role", "member")).status());
    browser.get(server.baseUrl() + "/#/profiles/" + profile);
    waiting().until(d -> Boolean.TRUE.equals(browser.executeScript(
        "const p = document.getElementById('profile');"
            + " return Boolean(p && p.dataset.ready === 'true' && document.getElementById('profile-summary-editor')"
            + ".getAttribute('contenteditable') === 'true');")));
    assertEquals(204, coordinator.delete("/api/spaces/" + space + "/members/" + memberId).status());
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-problem"), "Ihr Zugang ist beendet"));
    waiting().until(d -> !"true".equals(d.findElement(By.id("profile-summary-editor")).getAttribute("contenteditable")));
    assertFalse(browser.findElement(By.id("profile-problem")).getText().isEmpty());
    Axe.assertAccessible(browser, "profile after access ended");
    screenshot("profile");
  }

  /** The page as the person sees it at that moment, kept under target/screenshots for a look. */
  private static void screenshot(String page) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
        dir.resolve("access-ended-" + page + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static WebElement visible(String id) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }
}
