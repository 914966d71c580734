package io.layercache.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.layercache.layer.LayerFailureException;
import io.layercache.layer.StoredEntry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A joiner shares the first caller's answer and the layer's failures, but not the first caller's own failure. */
class SharedReadsTest {

  private final SharedReads<String, String> reads = new SharedReads<>();
  private final StoredEntry<String> mine = StoredEntry.of("mine", StoredEntry.ETERNAL, 1L, Set.of());

  @Test
  void aJoinerReadsForItselfWhenTheFirstCallersReadFailedForItsOwnReason() throws Exception {
    RuntimeException interrupted = new IllegalStateException("interrupted while waiting for Redis");
    Joiner joiner = joinWhileTheFirstReadFails(interrupted);

    assertThat(joiner.answer.get().entry()).isSameAs(mine);
    assertThat(joiner.answer.get().joined()).isFalse();
  }

  @Test
  void aJoinerGetsTheLayersFailure() throws Exception {
    LayerFailureException down = new LayerFailureException("Redis did not answer GET within 200 ms", null);
    Joiner joiner = joinWhileTheFirstReadFails(down);

    assertThat(joiner.failure.get()).isSameAs(down);
  }

  private record Joiner(AtomicReference<SharedReads.Answer<String>> answer, AtomicReference<Throwable> failure) {}

  private Joiner joinWhileTheFirstReadFails(RuntimeException failure) throws Exception {
    CountDownLatch inRead = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> assertThatThrownBy(() -> reads.read("k", () -> {
      inRead.countDown();
      awaitQuietly(release);
      throw failure;
    })).isSameAs(failure));
    inRead.await();
    Joiner joiner = new Joiner(new AtomicReference<>(), new AtomicReference<>());
    Thread second = new Thread(() -> {
      try {
        joiner.answer.set(reads.read("k", () -> mine));
      } catch (RuntimeException e) {
        joiner.failure.set(e);
      }
    });
    second.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> second.getState() == Thread.State.WAITING);
    release.countDown();
    second.join(10_000);
    first.get();
    return joiner;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
