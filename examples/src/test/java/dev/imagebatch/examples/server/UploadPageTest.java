package dev.imagebatch.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagebatch.examples.demo.DemoCsv;
import dev.imagebatch.examples.demo.SampleImageServer;
import dev.imagebatch.examples.demo.SampleImages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * a CSV is uploaded through the page, which shows the request id, the progress and, at the end,
 * the thumbnails and the failed image; an invalid file shows its problems.
 */
class UploadPageTest {

    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static ChromeDriverService driverService;
    private static ChromeDriver browser;
    private static Path profile;

    @TempDir
    Path dir;

    private SampleImageServer images;
    private ApiServer server;

    @BeforeAll
    static void startBrowser() throws Exception {
        assertThat(CHROMEDRIVER).as("install Debian's chromium and chromium-driver (.ci/run does)").isExecutable();
        assertThat(CHROMIUM).as("install Debian's chromium and chromium-driver (.ci/run does)").isExecutable();
        profile = Files.createTempDirectory("upload-page-chromium");
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1200,1900");
        browser = new ChromeDriver(driverService, options);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void startServers() throws Exception {
        images = SampleImageServer.start(SampleImages.all());
        server = TestServers.start(dir.resolve("data"));
    }

    @AfterEach
    void stopServers() {
        server.close();
        images.close();
    }

    @Test
    void uploadingACsvShowsProgressThenTheThumbnailsAndTheFailedImage() throws Exception {
        Path csv = dir.resolve("products.csv");
        int urls = DemoCsv.write(csv, images);
        browser.get(server.url().toString());

        browser.findElement(By.id("file")).sendKeys(csv.toString());
        assertThat(browser.findElement(By.id("file-name")).getText()).startsWith("products.csv");
        browser.findElement(By.id("upload-button")).click();

        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "COMPLETED_WITH_ERRORS"));
        assertThat(browser.findElement(By.id("request-id")).getText()).matches("[0-9a-f-]{36}");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("completed with errors");
        assertThat(browser.findElement(By.id("counts")).getText())
                .isEqualTo(urls + " of " + urls + " images done · " + (urls - 1) + " processed · 1 failed");
        WebElement progress = browser.findElement(By.id("progress"));
        assertThat(progress.getDomProperty("value")).isEqualTo(progress.getDomProperty("max"));
        String csvLink = browser.findElement(By.id("csv-link")).getDomAttribute("href");
        assertThat(csvLink).startsWith(server.url() + "static/csv/").endsWith(".csv");

        List<WebElement> thumbs = browser.findElements(By.cssSelector("#thumbnails > li"));
        assertThat(thumbs).hasSize(urls);
        List<WebElement> failed = browser.findElements(By.cssSelector("#thumbnails > li.failed"));
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getText()).contains("HTTP_STATUS").contains("HTTP 404").contains(DemoCsv.MISSING_IMAGE);
        wait.until(driver -> (Boolean) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#thumbnails img')].every(i => i.complete && i.naturalWidth > 0)"));
        List<WebElement> pictures = browser.findElements(By.cssSelector("#thumbnails img"));
        assertThat(pictures).hasSize(urls - 1).allSatisfy(img -> assertThat(img.getDomAttribute("alt")).startsWith("Row "));

        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "upload-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anInvalidCsvShowsItsProblemsAsAList() throws Exception {
        Path csv = dir.resolve("broken.csv");
        Files.writeString(csv, "serial_no,product_name,input_image_urls\n1,Shoe,ftp://example.com/a.jpg\n2,Hat\n",
                StandardCharsets.UTF_8);
        browser.get(server.url().toString());

        browser.findElement(By.id("file")).sendKeys(csv.toString());
        browser.findElement(By.id("upload-button")).click();

        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("problems-panel")));
        List<WebElement> problems = browser.findElements(By.cssSelector("#problems > li"));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).getText()).startsWith("Line 2, column input_image_urls: ");
        assertThat(problems.get(1).getText()).startsWith("Line 3: ");
        assertThat(browser.findElement(By.id("request-panel")).isDisplayed()).isFalse();
    }
}
