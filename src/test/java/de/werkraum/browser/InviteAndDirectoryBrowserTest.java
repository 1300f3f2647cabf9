package de.werkraum.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.Browser;
import de.werkraum.support.TestPlatform;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The foundation's path in a real headless Chromium: an admin invites a member, the member accepts,
 * logs in, edits their profile and finds an organisation by search. The member's part is done by
 * keyboard alone (Tab, typing, Enter; no clicks).
 */
class InviteAndDirectoryBrowserTest {

  static TestPlatform server;
  static ChromeDriver browser;
  static long space;
  static final String ADMIN_PASSWORD = "Zeche-Zollverein-Essen";
  static final String MEMBER_PASSWORD = "Emscherkunst-Weg-2026";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    server.createUser("admin@browser.de", ADMIN_PASSWORD, "Admina", true);
    space = server.createSpace("Innovationsraum Emscher");
    server.createOrganisation("Quartiersbüro Hassel", "association", "Gelsenkirchen", "Wir begleiten das Quartier Hassel.");
    server.createOrganisation("Stahlwerk Beispiel AG", "business", "Duisburg", "Industrie.");
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    server.close();
  }

  private WebDriverWait waiting() {
    // Pages re-render while we wait: an element found a moment ago may be gone; look again.
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private WebElement visible(String id) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private void open(String hash) {
    browser.get(server.baseUrl() + "/" + hash);
  }

  /** Presses Tab until the element with the id has the focus: it must be reachable by keyboard. */
  private void tabTo(String id) {
    tabTo(visible(id));
  }

  private void tabTo(WebElement target) {
    for (int i = 0; i < 60; i++) {
      WebElement active = browser.switchTo().activeElement();
      if (active.equals(target)) {
        return;
      }
      active.sendKeys(Keys.TAB);
    }
    throw new AssertionError(target + " cannot be reached with the Tab key");
  }

  private void typeInto(String id, String text) {
    tabTo(id);
    WebElement field = browser.switchTo().activeElement();
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    field.sendKeys(text);
  }

  private void pressEnterOn(String id) {
    tabTo(id);
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
  }

  private void waitForHeading(String text) {
    waiting().until(d -> d.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().contains(text)));
  }

  private void logout() {
    visible("logout-button").click();
    visible("login-email");
  }

  @Test
  void adminInvitesMemberWhoAcceptsEditsProfileAndFindsAnOrganisation() {
    // The admin logs in and creates an invitation into the space.
    open("#/login");
    visible("login-email").sendKeys("admin@browser.de");
    visible("login-password").sendKeys(ADMIN_PASSWORD);
    visible("login-submit").click();
    visible("logout-button");
    open("#/admin");
    visible("invite-email").sendKeys("neu@browser.de");
    new Select(visible("invite-space")).selectByVisibleText("Innovationsraum Emscher");
    visible("invite-submit").click();
    String link = waiting().until(d -> {
      String value = d.findElement(By.id("invite-link")).getAttribute("value");
      return value != null && value.contains("#/invite/") ? value : null;
    });
    assertTrue(link.startsWith(server.config.publicUrl()), link);
    logout();

    // From here on the member uses the keyboard only.
    browser.get(link.replace(server.config.publicUrl(), server.baseUrl()));
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("accept-email"), "neu@browser.de"));
    typeInto("accept-name", "Nele Neumann");
    typeInto("accept-password", MEMBER_PASSWORD);
    typeInto("accept-password2", MEMBER_PASSWORD);
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    visible("logout-button");
    assertEquals(1, server.sqlLong("SELECT count(*) FROM users WHERE email = 'neu@browser.de'"));

    // Log out and in again, by keyboard.
    pressEnterOn("logout-button");
    visible("login-email");
    typeInto("login-email", "neu@browser.de");
    typeInto("login-password", MEMBER_PASSWORD);
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    visible("logout-button");

    // Edit the own profile.
    open("#/me");
    typeInto("me-position", "Quartiersmanagerin");
    typeInto("me-bio", "Ich arbeite an Nachbarschaften im Emscher-Raum.");
    pressEnterOn("me-submit");
    waiting().until(d -> server.sqlLong("SELECT count(*) FROM users WHERE email = 'neu@browser.de' AND position = 'Quartiersmanagerin'") == 1);

    // Find an organisation by full-text search ("Quartiere" finds "Quartier").
    open("#/directory?tab=organisations");
    typeInto("directory-q", "Quartiere");
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    // The unfiltered list may still be on screen for a moment: wait for the search's answer.
    List<WebElement> results = waiting().until(d -> {
      List<WebElement> links = d.findElement(By.id("directory-results")).findElements(By.tagName("a"));
      return links.size() == 1 && links.get(0).getText().contains("Quartiersbüro Hassel") ? links : null;
    });
    assertEquals(1, results.size(), "only the matching organisation");
    tabTo(results.get(0));
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitForHeading("Quartiersbüro Hassel");
  }

  @Test
  void pagesSwitchToEnglishAndBack() {
    open("#/login");
    WebElement h1 = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1")));
    assertEquals("Anmelden", h1.getText());
    assertEquals("de", browser.findElement(By.tagName("html")).getAttribute("lang"));
    visible("lang-switch").click();
    waiting().until(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
    waitForHeading("Sign in");
    visible("lang-switch").click();
    waitForHeading("Anmelden");
  }
}
