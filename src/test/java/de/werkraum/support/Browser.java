package de.werkraum.support;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser tests: the system's Chromium and driver when installed (CI installs
 * Debian's packages), otherwise the browser Selenium fetches by itself.
 */
public final class Browser {

  private static final File SYSTEM_CHROMIUM = new File("/usr/bin/chromium");
  private static final File SYSTEM_DRIVER = new File("/usr/bin/chromedriver");

  private Browser() {}

  public static ChromeDriver start() {
    return start(new ChromeOptions().addArguments("--window-size=1280,900"));
  }

  /**
   * A browser that keeps its profile (cookies, IndexedDB, localStorage) in `userDataDir`, so that a
   * second launch with the same folder finds what the first one stored; window 1280×800.
   */
  public static ChromeDriver start(Path userDataDir) {
    return start(new ChromeOptions().addArguments("--window-size=1280,800",
        "--user-data-dir=" + userDataDir.toAbsolutePath()));
  }

  private static ChromeDriver start(ChromeOptions options) {
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--lang=de-DE");
    ChromeDriver driver;
    if (SYSTEM_CHROMIUM.canExecute() && SYSTEM_DRIVER.canExecute()) {
      options.setBinary(SYSTEM_CHROMIUM);
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(SYSTEM_DRIVER).build();
      driver = new ChromeDriver(service, options);
    } else {
      driver = new ChromeDriver(options);
    }
    driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    return driver;
  }
}
