package dev.keyline.platform.connectui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven over WebDriver, for the connect UI's end-to-end tests. The browser is
 * installed by {@link #ensureInstalled()} when missing (as root, with apt-get); when it cannot be, the tests
 * fail rather than skip, so CI never goes green without having run them. Nothing is ever downloaded by
 * Selenium itself: the driver binary is given explicitly.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static HeadlessChromium start() {
        ensureInstalled();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("keyline-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        // The console is where the browser reports a frame its policy refused.
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Closes every window but the first and brings that one to the front: headless Chromium leaves the key focus
     * wherever it was when a popup closed, so key presses could land in no page at all.
     */
    void keepOneWindow() {
        List<String> handles = new ArrayList<>(driver.getWindowHandles());
        for (String handle : handles.subList(1, handles.size())) {
            driver.switchTo().window(handle);
            driver.close();
        }
        driver.switchTo().window(handles.get(0));
        driver.executeCdpCommand("Page.bringToFront", Map.of());
    }

    /** Waits for the element {@code css} names to be visible in the current document. */
    WebElement awaitVisible(String css) {
        return await(css + " to show", ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** The connect form's input for a credential field. */
    WebElement input(String key) {
        return driver.findElement(By.id("field-" + key));
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    /** What the connect page itself posted to the host, as sent (read on the host page, where this leaves us). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> pageMessages() {
        driver.switchTo().defaultContent();
        return (List<Map<String, Object>>) script("return window.keylineMessages || []");
    }

    /** The events the host page received, read in its own context (where this leaves the driver). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> hostEvents() {
        driver.switchTo().defaultContent();
        return (List<Map<String, Object>>) script("return window.keylineEvents || []");
    }

    /**
     * Escape in the current document (the connect frame), as a script event. A real key press there makes the page
     * close the overlay, which removes the very frame the key went to, and chromedriver then sometimes waits for the
     * key-up's acknowledgement from a frame that is gone (seen hanging 180 s under load), so this one key is
     * synthesised; Escape on the host page itself is pressed for real.
     */
    void escapeInCurrentDocument() {
        script("(document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown',"
                + " {key: 'Escape', code: 'Escape', bubbles: true, cancelable: true}))");
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(what)
                .pollingEvery(Duration.ofMillis(50))
                .until(condition);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** What the page wrote to the console since the last call. */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves the viewport as {@code target/screenshots/<name>.png}, a build artefact to look at. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary profile left behind is harmless.
            }
        }
    }

    /** Installs chromium and chromedriver with apt-get when they are missing and we may; else fails loudly. */
    static synchronized void ensureInstalled() {
        if (installed()) {
            return;
        }
        if (!isRoot() || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new IllegalStateException("The connect UI tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ", which are missing, and cannot install them (not root, or no apt-get). Install the"
                    + " Debian packages chromium and chromium-driver.");
        }
        run(List.of("apt-get", "update"));
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"));
        if (!installed()) {
            throw new IllegalStateException("apt-get installed chromium and chromium-driver, but " + CHROMIUM + " or "
                    + CHROMEDRIVER + " is still missing.");
        }
    }

    private static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static boolean isRoot() {
        try {
            Process id =
                    new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).strip();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(20, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 20 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Chromium", e);
        }
    }
}
