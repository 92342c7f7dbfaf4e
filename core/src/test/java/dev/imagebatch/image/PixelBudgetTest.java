package dev.imagebatch.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagebatch.ErrorCode;
import dev.imagebatch.spi.ImageFailureException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class PixelBudgetTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void grantsUpToItsSizeThenBlocksUntilPixelsAreReturned() throws Exception {
        PixelBudget budget = PixelBudget.of(100);
        PixelBudget.Permit first = budget.acquire(60);
        PixelBudget.Permit second = budget.acquire(40);
        assertThat(budget.available()).isZero();

        Future<PixelBudget.Permit> third = pool.submit(() -> budget.acquire(30));
        assertStillWaiting(third);

        first.close();
        assertThat(third.get(5, TimeUnit.SECONDS).pixels()).isEqualTo(30);
        assertThat(budget.available()).isEqualTo(30);
        second.close();
        third.get().close();
        assertThat(budget.available()).isEqualTo(100);
    }

    @Test
    void runsARequestLargerThanTheWholeBudgetAlone() throws Exception {
        PixelBudget budget = PixelBudget.of(100);
        PixelBudget.Permit small = budget.acquire(1);
        Future<PixelBudget.Permit> huge = pool.submit(() -> budget.acquire(1_000_000));
        assertStillWaiting(huge);

        small.close();
        PixelBudget.Permit hugePermit = huge.get(5, TimeUnit.SECONDS);
        assertThat(hugePermit.pixels()).isEqualTo(100);
        Future<PixelBudget.Permit> another = pool.submit(() -> budget.acquire(1));
        assertStillWaiting(another);
        hugePermit.close();
        another.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void servesWaitersInArrivalOrderSoLargeImagesAreNotStarved() throws Exception {
        PixelBudget budget = PixelBudget.of(10);
        PixelBudget.Permit held = budget.acquire(5);
        Future<PixelBudget.Permit> large = pool.submit(() -> budget.acquire(10));
        assertStillWaiting(large);
        // 5 pixels are free, but the small request arrived after the large one and must wait.
        Future<PixelBudget.Permit> small = pool.submit(() -> budget.acquire(1));
        assertStillWaiting(small);

        held.close();
        PixelBudget.Permit largePermit = large.get(5, TimeUnit.SECONDS);
        assertStillWaiting(small);
        largePermit.close();
        small.get(5, TimeUnit.SECONDS).close();
        assertThat(budget.available()).isEqualTo(10);
    }

    @Test
    void closingAPermitTwiceReturnsItsPixelsOnce() throws Exception {
        PixelBudget budget = PixelBudget.of(10);
        PixelBudget.Permit permit = budget.acquire(4);
        permit.close();
        permit.close();
        assertThat(budget.available()).isEqualTo(10);
    }

    @Test
    void anInterruptedWaiterTakesNothingAndLetsOthersThrough() throws Exception {
        PixelBudget budget = PixelBudget.of(10);
        PixelBudget.Permit held = budget.acquire(10);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        Future<Object> interrupted = pool.submit(() -> {
            waiter.set(Thread.currentThread());
            return budget.acquire(10);
        });
        Future<PixelBudget.Permit> next = pool.submit(() -> budget.acquire(10));
        assertStillWaiting(interrupted);
        waiter.get().interrupt();
        assertThatThrownBy(() -> interrupted.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);

        held.close();
        next.get(5, TimeUnit.SECONDS).close();
        assertThat(budget.available()).isEqualTo(10);
    }

    @Test
    void rejectsInvalidSizes() {
        assertThatThrownBy(() -> PixelBudget.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPixelsInFlight");
        assertThatThrownBy(() -> PixelBudget.of(10).acquire(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PixelBudget.defaults().maxPixelsInFlight()).isEqualTo(200_000_000L);
    }

    @Test
    void codecReportsCancelledWhenInterruptedWhileWaitingForTheBudget() throws Exception {
        PixelBudget budget = PixelBudget.of(1000);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), budget);
        byte[] png = Fixtures.png(Fixtures.solid(20, 20, Fixtures.RED));
        PixelBudget.Permit held = budget.acquire(1000);
        AtomicReference<Thread> worker = new AtomicReference<>();
        CompletableFuture<Boolean> interruptFlag = new CompletableFuture<>();
        Future<ProcessedImage> result = pool.submit(() -> {
            worker.set(Thread.currentThread());
            try {
                return codec.process(png);
            } finally {
                interruptFlag.complete(Thread.currentThread().isInterrupted());
            }
        });
        assertStillWaiting(result);
        worker.get().interrupt();

        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ImageFailureException.class)
                .satisfies(e -> assertThat(((ImageFailureException) e.getCause()).code()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(interruptFlag.get(5, TimeUnit.SECONDS)).as("interrupt flag kept").isTrue();
        held.close();
        assertThat(budget.available()).isEqualTo(1000);
    }

    @Test
    void codecReturnsItsPixelsToTheBudgetAfterSuccessAndFailure() throws Exception {
        PixelBudget budget = PixelBudget.of(10_000);
        ImageCodec codec = new ImageCodec(ImageSettings.defaults(), budget);
        codec.process(Fixtures.png(Fixtures.solid(50, 50, Fixtures.RED)));
        assertThat(budget.available()).isEqualTo(10_000);

        byte[] truncated = java.util.Arrays.copyOf(Fixtures.png(Fixtures.picture(60, 60)), 200);
        assertThatThrownBy(() -> codec.process(truncated)).isInstanceOf(ImageFailureException.class);
        assertThat(budget.available()).isEqualTo(10_000);
    }

    private static void assertStillWaiting(Future<?> future) throws Exception {
        try {
            future.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the request to wait");
        } catch (TimeoutException expected) {
            // still blocked, as it should be
        }
    }
}
