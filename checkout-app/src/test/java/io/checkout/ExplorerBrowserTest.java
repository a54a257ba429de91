package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Opens the saga explorer in a real headless Chromium (Debian's chromium and chromium-driver), starts a completed
 * and a compensated checkout, and watches both appear with their outcome and timeline. The screenshot is kept as
 * {@code checkout-app/target/explorer.png}. Skipped where Chromium is not installed, unless
 * {@code -Dbrowser.required=true} (as in .ci/run, which installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExplorerBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TempDataDir.register(registry, "checkout-browser-test");
    }

    @LocalServerPort
    int port;

    private WebDriver browser;

    @BeforeEach
    void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (Boolean.getBoolean("browser.required")) {
            assertThat(installed).as("chromium and chromedriver must be installed (apt-get install chromium "
                    + "chromium-driver)").isTrue();
        }
        assumeTrue(installed, "chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1000",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsCompletedAndCompensatedCheckoutsWithTheirTimelines() throws IOException {
        Api api = new Api(port);
        browser.get("http://localhost:" + port + "/");
        String product = api.createProduct("Lamp", "25.00", 3);

        String completed = api.checkout("ann", product + ":2");
        String compensated = api.checkout("ben", product + ":5");

        // The page refreshes once a second: an element read in between may have been replaced.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(b -> "COMPLETED".equals(rowStatus(b, completed)));
        wait.until(b -> "FAILED".equals(rowStatus(b, compensated)));
        // the counts come from /checkouts/stats, read beside the list: they may follow a second later
        wait.until(b -> "1".equals(b.findElement(By.id("count-COMPLETED")).getText())
                && "1".equals(b.findElement(By.id("count-FAILED")).getText()));

        // The page keeps the selected checkout's timeline fresh: the participants' answers may land after the end.
        open(wait, compensated, "RESERVE_STOCK REJECTED", "CHECKOUT COMPENSATING", "CANCEL_ORDER SUCCEEDED",
                "CHECKOUT COMPENSATED");
        assertThat(browser.findElement(By.id("detail-reason")).getText())
                .contains("RESERVE_STOCK failed").contains("Not enough stock");

        open(wait, completed, "RESERVE_STOCK SUCCEEDED", "APPROVE_ORDER SUCCEEDED", "CHECKOUT COMPLETED");

        open(wait, compensated, "CHECKOUT COMPENSATED");
        File screenshot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "explorer.png");
        Files.copy(screenshot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(target).isNotEmptyFile();
    }

    private static List<String> timeline(WebDriver browser) {
        return browser.findElements(By.cssSelector("#timeline li")).stream()
                .map(li -> li.getDomAttribute("data-step") + " " + li.getDomAttribute("data-outcome"))
                .toList();
    }

    private static boolean containsInOrder(List<String> timeline, String... expected) {
        int next = 0;
        for (String entry : timeline) {
            if (next < expected.length && entry.equals(expected[next])) {
                next++;
            }
        }
        return next == expected.length;
    }

    /**
     * Clicks the checkout's row until the detail shows it (a click can land while the list is redrawn), then waits
     * for its timeline to show the entries, in order. On time-out, says what the page and the API showed.
     */
    private void open(WebDriverWait wait, String checkoutId, String... expected) throws IOException {
        try {
            wait.until(b -> {
                if (!checkoutId.equals(b.findElement(By.id("detail")).getDomAttribute("data-checkout-id"))) {
                    row(b, checkoutId).click();
                    return false;
                }
                return containsInOrder(timeline(b), expected);
            });
        } catch (TimeoutException e) {
            Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
                    Path.of("target", "explorer-failure.png"), StandardCopyOption.REPLACE_EXISTING);
            throw new AssertionError("page shows " + browser.findElement(By.id("detail")).getDomAttribute(
                    "data-checkout-id") + " " + timeline(browser) + "; the API says "
                    + Api.timeline(new Api(port).get("/checkouts/" + checkoutId).body()), e);
        }
    }

    private static WebElement row(WebDriver browser, String checkoutId) {
        return browser.findElement(By.cssSelector("#checkouts tr[data-checkout-id='" + checkoutId + "']"));
    }

    private static String rowStatus(WebDriver browser, String checkoutId) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#checkouts tr[data-checkout-id='" + checkoutId + "']"));
        return rows.isEmpty() ? null : rows.get(0).getDomAttribute("data-status");
    }
}
