package io.layercache.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a hub's messages in sequence order from one thread, so the request path never waits for
 * the bus.
 *
 * <ul>
 *   <li>A message gets its sequence number when it is queued; the queue is sent in order, so
 *       other instances see holes exactly where messages were lost.
 *   <li>What queued up while a publish was under way goes out as one batch (at most
 *       {@value #MAX_BATCH} messages), so transports that confirm a batch at once wait one round
 *       trip for all of them.
 *   <li>A failed publish stays at the head and is retried with a growing pause; after
 *       {@code failure-threshold} failures in a row the breaker pauses publishing for
 *       {@code break-duration}. Messages wait meanwhile, up to {@code retry-queue.max-size}: beyond
 *       it the oldest is dropped (one WARN per outage), which other instances see as a gap.
 *   <li>With the retry queue off, a message that fails once is dropped.
 * </ul>
 */
final class BusPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BusPublisher.class);
  private static final long MAX_BACKOFF_MILLIS = 1_000;
  private static final long CLOSE_FLUSH_MILLIS = 2_000;
  static final int MAX_BATCH = 256;

  private final String source;
  private final long incarnation;
  private final BusTransport transport;
  private final BusMessageCodec codec;
  private final BusSettings settings;
  private final BusCounters counters;
  private final int capacity;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final Thread sender;
  private long sequence;
  private boolean closed;
  private boolean overflowLogged;
  private int failuresInARow;

  BusPublisher(String source, long incarnation, BusTransport transport, BusMessageCodec codec, BusSettings settings,
      BusCounters counters) {
    this.source = source;
    this.incarnation = incarnation;
    this.transport = transport;
    this.codec = codec;
    this.settings = settings;
    this.counters = counters;
    this.capacity = settings.retryQueue() == 0 ? 10_000 : settings.retryQueue();
    this.sender = new Thread(this::sendLoop, "layercache-bus-publisher-" + source);
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /**
   * Queues a message for sending; never blocks on the transport.
   *
   * @throws IllegalArgumentException when the message exceeds {@code bus.max-message-bytes}
   */
  void publish(BusMessage.Action action, String cache, long stamp, List<byte[]> items, byte @Nullable [] value) {
    synchronized (queue) {
      if (closed) {
        return;
      }
      long next = sequence + 1;
      byte[] bytes = codec.encode(new BusMessage(source, incarnation, next, System.currentTimeMillis(), action, cache,
          stamp, items, value));
      sequence = next;
      if (queue.size() >= capacity) {
        queue.pollFirst();
        counters.dropped.increment();
        if (!overflowLogged) {
          overflowLogged = true;
          LOG.warn("bus={} the retry queue is full ({} messages): dropping the oldest; other instances will repair "
              + "their memory layers when they see the gap", transport.describe(), capacity);
        }
      }
      queue.addLast(bytes);
      queue.notifyAll();
    }
  }

  /** True while the last publish failed. */
  boolean failing() {
    synchronized (queue) {
      return failuresInARow > 0;
    }
  }

  /** Messages waiting to be sent. */
  int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void sendLoop() {
    while (true) {
      List<byte[]> batch = new ArrayList<>();
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          waitQuietly(0);
        }
        if (closed && (queue.isEmpty() || failuresInARow > 0)) {
          return;
        }
        for (byte[] message : queue) {
          batch.add(message);
          if (batch.size() == MAX_BATCH) {
            break;
          }
        }
      }
      send(batch);
    }
  }

  private void send(List<byte[]> batch) {
    try {
      if (batch.size() == 1) {
        transport.publish(batch.get(0));
      } else {
        transport.publishAll(batch);
      }
      counters.published.add(batch.size());
      synchronized (queue) {
        // the oldest may have been dropped meanwhile (a full queue): remove what is still there
        batch.forEach(queue::remove);
        if (failuresInARow > 0 || overflowLogged) {
          LOG.info("bus={} publishing again", transport.describe());
        }
        failuresInARow = 0;
        overflowLogged = false;
      }
    } catch (Exception | LinkageError | AssertionError e) {
      // Anything a transport throws is a failed publish: the sender thread must never die, or
      // this instance would keep writing while nobody hears of it.
      counters.publishFailures.increment();
      onFailure(batch, e);
    }
  }

  private void onFailure(List<byte[]> batch, Throwable e) {
    synchronized (queue) {
      failuresInARow++;
      if (failuresInARow == 1) {
        LOG.warn("bus={} publish failed ({}); retrying, messages wait in the retry queue (max {})",
            transport.describe(), e.toString(), settings.retryQueue());
      }
      if (settings.retryQueue() == 0) {
        for (byte[] message : batch) {
          if (queue.remove(message)) {
            counters.dropped.increment();
          }
        }
      }
      long pause = failuresInARow >= settings.breaker().failureThreshold()
          ? settings.breaker().breakDuration().toMillis()
          : Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(failuresInARow, 10));
      if (failuresInARow == settings.breaker().failureThreshold()) {
        LOG.warn("bus={} circuit breaker open after {} failed publishes: pausing {} ms", transport.describe(),
            failuresInARow, pause);
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
      while (!closed && System.nanoTime() < until) {
        waitQuietly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      }
    }
  }

  private void waitQuietly(long millis) {
    try {
      queue.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Sends what is queued (for up to two seconds while the transport works), then stops. */
  @Override
  public void close() {
    synchronized (queue) {
      closed = true;
      queue.notifyAll();
    }
    try {
      sender.join(CLOSE_FLUSH_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.interrupt();
  }
}
