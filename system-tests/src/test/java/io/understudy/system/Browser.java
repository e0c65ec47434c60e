package io.understudy.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Debian's chromedriver. Both paths are given explicitly so Selenium Manager
 * never runs and nothing is downloaded; every wait is bounded.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Held so the level sticks: Selenium warns on every start that it has no CDP classes for this Chromium (unused here). */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    final WebDriver driver;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test when the browser is not installed, unless CI demands it (UNDERSTUDY_REQUIRE_PEERS=1). */
    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) return;
        String why = "the web page tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install -y chromium chromium-driver";
        if ("1".equals(System.getenv("UNDERSTUDY_REQUIRE_PEERS"))) Assertions.fail(why + " (required: UNDERSTUDY_REQUIRE_PEERS=1)");
        Assumptions.abort(why);
    }

    static Browser start(int width, int height) throws Exception {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        Path profile = Files.createTempDirectory("understudy-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, o), profile);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T await(Duration limit, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, limit).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Clicks the element once it is there; bays are re-rendered live, so a stale reference is looked up again. */
    void click(By by) {
        await(Duration.ofSeconds(10), "clickable " + by, d -> {
            List<WebElement> found = d.findElements(by);
            if (found.isEmpty() || !found.get(0).isDisplayed()) return null;
            found.get(0).click();
            return true;
        });
    }

    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    @Override
    public void close() throws Exception {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
