package de.werkraum.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Runs axe-core (from npm, node_modules/axe-core) on the page a browser shows and fails on any
 * violation of WCAG 2.1 A/AA, listing each rule with the elements it found.
 */
public final class Axe {

  private static final Path SOURCE = Path.of("node_modules", "axe-core", "axe.min.js");
  private static String source;

  private Axe() {}

  public static void assertAccessible(WebDriver browser, String page) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) {
      js.executeScript(script());
    }
    Object found = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + " axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        + ".then((r) => done(r.violations.map((v) => v.id + ' (' + v.impact + '): '"
        + " + v.nodes.map((n) => n.target.join(' ')).join(', ')).join('\\n')))"
        + ".catch((e) => done('axe failed: ' + e));");
    assertEquals("", found, "accessibility violations on " + page);
  }

  private static synchronized String script() {
    if (source == null) {
      try {
        source = Files.readString(SOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("axe-core is missing: run npm ci", e);
      }
    }
    return source;
  }
}
