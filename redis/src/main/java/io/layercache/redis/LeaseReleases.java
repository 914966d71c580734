package io.layercache.redis;

import io.layercache.layer.LoadLeases;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this instance's waiters that a load lease they wait for was released, without an
 * invalidation bus: the script that stores the loaded value (or, when the load stored nothing,
 * the release script) publishes a notice of the lease on one channel per namespace, and
 * the callers waiting for another instance's load stop waiting when their key's release arrives
 * instead of at their next poll of the lease.
 *
 * <ul>
 *   <li>One subscription per Redis client and namespace, shared by every cache of the cache
 *       manager; made on the first wait, asynchronously, so no caller waits for it. Until it is
 *       active (and whenever it is not: Redis unreachable, a resubscription under way) waiters
 *       still find the release by polling the lease, only later.
 *   <li>Classic pub/sub also on Cluster: Redis propagates a script's {@code PUBLISH} to every node.
 *       One message per load: the lease key, a few dozen bytes, or, when other instances waited
 *       for the load, the signed value too (at most {@value ReleaseNotices#MAX_VALUE_BYTES} bytes).
 *   <li>A message wakes a waiter, which then reads the shared layer and the lease as before: a
 *       forged or stray message costs a read, never a wrong value. A notice may carry the stored
 *       value ({@link ReleaseNotices}); the waiter is handed it only when its signature verifies and
 *       it names the lease the waiter saw held ({@link RedisLoadLeases}).
 * </ul>
 */
final class LeaseReleases implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseReleases.class);

  private final String channel;
  private final RTopic topic;
  private final ReleaseNotices notices;
  private final ConcurrentHashMap<String, Set<Consumer<ReleaseNotices.Notice>>> watchers = new ConcurrentHashMap<>();
  private CompletionStage<Integer> subscription;
  private CompletionStage<Integer> status;
  private volatile boolean live;
  private volatile boolean closed;

  LeaseReleases(RedissonClient client, String namespace) {
    this.channel = namespace + ":lease-released";
    this.topic = client.getTopic(channel, ByteArrayCodec.INSTANCE);
    this.notices = new ReleaseNotices(client, namespace);
  }

  /** The key under which a cache manager shares the instance of {@code client} and {@code namespace}. */
  static Object resourceKey(RedissonClient client, String namespace) {
    return List.of(LeaseReleases.class.getName(), client, namespace);
  }

  /** The channel the release script publishes on. */
  String channel() {
    return channel;
  }

  /** The notices published on {@link #channel}. */
  ReleaseNotices notices() {
    return notices;
  }

  /**
   * Calls {@code onRelease} with the notice when the lease {@code leaseKey} is released, until the
   * watch is closed.
   */
  LoadLeases.Watch watch(String leaseKey, Consumer<ReleaseNotices.Notice> onRelease) {
    subscribe();
    watchers.computeIfAbsent(leaseKey, k -> ConcurrentHashMap.newKeySet()).add(onRelease);
    return new LoadLeases.Watch() {
      @Override
      public void close() {
        watchers.computeIfPresent(leaseKey, (k, set) -> set.remove(onRelease) && set.isEmpty() ? null : set);
      }

      @Override
      public boolean isLive() {
        return live;
      }
    };
  }

  /** Keys with at least one open watch (for tests: closed watches leave nothing behind). */
  int watchedKeys() {
    return watchers.size();
  }

  private synchronized void subscribe() {
    if (subscription != null || closed) {
      return;
    }
    try {
      status = topic.addListenerAsync(new StatusListener() {
        @Override
        public void onSubscribe(String ignored) {
          live = !closed;
        }

        @Override
        public void onUnsubscribe(String ignored) {
          live = false; // a reconnection unsubscribes, then subscribes again
        }
      });
      subscription = topic.addListenerAsync(byte[].class, (ignored, message) -> released(message));
    } catch (RuntimeException e) { // the client shut down: nothing to hear any more
      LOG.debug("cannot subscribe to {} ({}); waiters poll their leases", channel, e.toString());
      retryLater();
      return;
    }
    subscription.whenComplete((id, error) -> {
      live = error == null && !closed;
      if (error != null) {
        LOG.debug("cannot subscribe to {} yet ({}); waiters poll their leases", channel, error.toString());
        retryLater();
      }
    });
  }

  private synchronized void retryLater() {
    subscription = null; // the next wait tries again
    if (status != null) {
      status.thenAccept(id -> topic.removeListenerAsync(id));
      status = null;
    }
  }

  /** Runs on Redisson's listener thread: a notice nobody here waits for is neither verified nor copied. */
  private void released(byte[] message) {
    String leaseKey = notices.leaseKeyOf(message);
    Set<Consumer<ReleaseNotices.Notice>> waiting = leaseKey == null ? null : watchers.get(leaseKey);
    if (waiting == null || waiting.isEmpty()) {
      return;
    }
    ReleaseNotices.Notice notice = notices.read(message);
    waiting.forEach(watcher -> watcher.accept(notice));
  }

  @Override
  public synchronized void close() {
    closed = true;
    live = false;
    if (subscription != null) {
      subscription.thenAccept(id -> topic.removeListenerAsync(id));
    }
    if (status != null) {
      status.thenAccept(id -> topic.removeListenerAsync(id));
    }
  }
}
