package io.layercache.bus;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's end of one bus: shared by the caches of a cache manager that use the same
 * transport and settings.
 *
 * <ul>
 *   <li>Publishes through a {@link BusPublisher} (one ordered sequence per hub).
 *   <li>Checks what it receives: format, signature, replay window, its own messages (filtered),
 *       duplicates and holes per source ({@link SourceTracker}); hands the rest to the cache's
 *       {@link CacheLink}. Nothing received is ever thrown; every drop is counted.
 *   <li>Repairs in-process layers when messages may have been lost: a hole in another
 *       instance's sequence or an interrupted subscription empties them at once; while its own
 *       heartbeats do not come back (the subscription is silently broken) it empties them every
 *       {@code reconcile-interval} as long as the shared layer is reachable, and once more when
 *       they come back.
 * </ul>
 */
public final class BusHub implements BusListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BusHub.class);
  private static final int HEARTBEATS_BEFORE_UNTRUSTED = 3;

  private final BusSettings settings;
  private final BusTransport transport;
  private final long incarnation = new SecureRandom().nextLong();
  private final BusMessageCodec codec;
  private final BusCounters counters = new BusCounters();
  private final SourceTracker sources;
  private final BusPublisher publisher;
  private final Map<String, CacheLink<?, ?>> links = new ConcurrentHashMap<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final ScheduledExecutorService timer;
  private volatile long ownHeartbeatSeenNanos = System.nanoTime();
  private volatile boolean trusted = true;
  private volatile long repairedNanos = System.nanoTime();
  private final long startedNanos = System.nanoTime();

  private BusHub(BusSettings settings, BusTransport transport) {
    this.settings = settings;
    this.transport = transport;
    this.codec = new BusMessageCodec(settings.signing(), settings.maxMessageBytes());
    this.sources = new SourceTracker(settings.trackedSources(), settings.replayWindow(),
        Math.max(settings.retryQueue(), 10_000) + 1_000_000L);
    this.publisher = new BusPublisher(settings.source(), incarnation, transport, codec, settings, counters);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "layercache-bus-heartbeat-" + settings.source());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A hub on {@code transport}, sending heartbeats. It subscribes (unless publish-only) when the
   * first cache {@linkplain #link links}: a durable transport delivers what it kept for this
   * instance at once, and those messages must find their cache.
   */
  public static BusHub start(BusSettings settings, BusTransport transport) {
    BusHub hub = new BusHub(settings, transport);
    long interval = settings.heartbeatInterval().toMillis();
    hub.timer.scheduleWithFixedDelay(hub::tick, 0, interval, TimeUnit.MILLISECONDS);
    LOG.info("bus={} started: source={} subscribe={} broadcast-set={} signing={}", transport.describe(),
        settings.source(), settings.subscribe(), settings.broadcastSet(), settings.signing().secret() != null);
    return hub;
  }

  /** The settings this hub runs with. */
  public BusSettings settings() {
    return settings;
  }

  /**
   * Joins a cache: its changes are published, others' changes of the same cache name applied. The
   * first cache to join starts the subscription.
   */
  void link(CacheLink<?, ?> link) {
    links.put(link.cacheName(), link);
    if (settings.subscribe() && subscribed.compareAndSet(false, true)) {
      transport.subscribe(this);
    }
  }

  /** Leaves a cache (when it closes), if {@code link} is still the one joined under its name. */
  void unlink(CacheLink<?, ?> link) {
    links.remove(link.cacheName(), link);
  }

  /** True when messages are signed, which priming (a value other instances will serve) requires. */
  boolean signs() {
    return codec.signs();
  }

  /** Queues a message for the other instances. */
  void publish(BusMessage.Action action, String cache, long stamp, List<byte[]> items, byte @Nullable [] value) {
    publisher.publish(action, cache, stamp, items, value);
  }

  /** This hub's counters. */
  public BusStatistics statistics() {
    // publish-only: nothing comes back to judge the subscription by; the publisher's state stands in
    boolean trustworthy = settings.subscribe() ? trusted : !publisher.failing();
    return counters.snapshot(publisher.queued(), trustworthy, transport.health());
  }

  @Override
  public void onMessage(byte[] bytes) {
    try {
      BusRejection rejection = accept(bytes);
      if (rejection != null) {
        counters.rejected(rejection);
      }
    } catch (RuntimeException e) {
      // A cache's apply failed unexpectedly: never let it reach the transport's thread.
      counters.rejected(BusRejection.MALFORMED);
      LOG.warn("bus={} dropped a message that could not be applied", transport.describe(), e);
    }
  }

  private @Nullable BusRejection accept(byte[] bytes) {
    BusMessageCodec.Result result = codec.decode(bytes);
    if (result instanceof BusMessageCodec.Result.Rejected rejected) {
      return rejected.reason();
    }
    BusMessageCodec.Result.Accepted accepted = (BusMessageCodec.Result.Accepted) result;
    BusMessage message = accepted.message();
    if (message.incarnation() == incarnation && message.source().equals(settings.source())) {
      counters.ownMessages.increment();
      if (message.action() == BusMessage.Action.HEARTBEAT) {
        ownHeartbeatSeenNanos = System.nanoTime();
      }
      return null;
    }
    long now = System.currentTimeMillis();
    long window = settings.replayWindow().toMillis();
    if (message.timestamp() < now - window || message.timestamp() > now + window) {
      return BusRejection.REPLAYED;
    }
    // Only messages this instance could verify move a source's sequence: with a secret here, an
    // unsigned message (accepted while signing is not required) cannot make a real sender's next
    // messages look like duplicates.
    if (!codec.signs() || accepted.verified()) {
      BusRejection refused = track(message);
      if (refused != null) {
        return refused;
      }
    }
    if (message.action() == BusMessage.Action.HEARTBEAT || message.action() == BusMessage.Action.LEAVE) {
      return null;
    }
    CacheLink<?, ?> link = links.get(message.cache());
    if (link == null) {
      return BusRejection.UNKNOWN_CACHE;
    }
    BusRejection rejection = link.apply(message, accepted.verified(), counters);
    if (rejection == null) {
      counters.received.increment();
      counters.receivedLagMillis.add(Math.max(0, System.currentTimeMillis() - message.timestamp()));
    }
    return rejection;
  }

  /** Dedupe, holes and departures of the message's source; a rejection, or null to go on. */
  private @Nullable BusRejection track(BusMessage message) {
    if (message.action() == BusMessage.Action.LEAVE) {
      sources.forget(message.source(), message.incarnation());
      return null;
    }
    SourceTracker.Order order = sources.observe(message.source(), message.incarnation(), message.sequence());
    if (order == SourceTracker.Order.DUPLICATE) {
      return BusRejection.DUPLICATE;
    }
    if (order == SourceTracker.Order.IMPLAUSIBLE) {
      return BusRejection.MALFORMED;
    }
    if (order == SourceTracker.Order.GAP || order == SourceTracker.Order.FIRST && !justStarted()) {
      counters.gaps.increment();
      repairAll("messages from " + message.source() + " were lost (sequence " + message.sequence() + ")", false);
    }
    return null;
  }

  /**
   * True within the first heartbeats after start: every other instance is met then, and what they
   * sent before this instance subscribed concerned memory layers that were still empty.
   */
  private boolean justStarted() {
    return System.nanoTime() - startedNanos < HEARTBEATS_BEFORE_UNTRUSTED * settings.heartbeatInterval().toNanos();
  }

  @Override
  public void onInterrupted(String reason) {
    counters.interruptions.increment();
    repairAll("the subscription was interrupted (" + reason + ")", false);
  }

  /** Sends a heartbeat, and judges whether this instance's own subscription still works. */
  private void tick() {
    try {
      publisher.publish(BusMessage.Action.HEARTBEAT, "", 0L, List.of(), null);
      if (!settings.subscribe()) {
        return;
      }
      // A durable transport keeps what a silent sender published and replays it: its sequence
      // must stay known, so the replay is checked against it. At most once, silence may hide loss.
      List<String> silent = transport.delivery() == BusTransport.Delivery.DURABLE ? List.of()
          : sources.forgetSilent(settings.heartbeatInterval().multipliedBy(HEARTBEATS_BEFORE_UNTRUSTED));
      if (!silent.isEmpty()) {
        // their messages may be refused here (an unknown key, a clock off by more than the replay
        // window) or never sent: whatever they changed meanwhile did not reach this instance
        repairAll("instances " + silent + " went silent without leaving", false);
      }
      long now = System.nanoTime();
      long silence = now - ownHeartbeatSeenNanos;
      boolean quiet = silence > HEARTBEATS_BEFORE_UNTRUSTED * settings.heartbeatInterval().toNanos();
      if (quiet && trusted) {
        trusted = false;
        LOG.warn("bus={} this instance's own heartbeats stopped coming back: messages may be lost; memory layers are "
            + "repaired every {} while the shared layer is reachable", transport.describe(), settings.reconcileInterval());
      } else if (!quiet && !trusted) {
        trusted = true;
        repairAll("the subscription works again", false);
      } else if (!trusted && now - repairedNanos >= settings.reconcileInterval().toNanos()) {
        repairAll("the subscription is still quiet", true);
      }
    } catch (RuntimeException e) {
      LOG.warn("bus={} heartbeat failed", transport.describe(), e);
    }
  }

  /** Empties every linked cache's in-process layers (see {@link io.layercache.coordinator.RemoteChanges#repair}). */
  private void repairAll(String why, boolean onlyIfReachable) {
    repairedNanos = System.nanoTime();
    int repaired = 0;
    for (CacheLink<?, ?> link : links.values()) {
      repaired += link.repair(onlyIfReachable) ? 1 : 0;
    }
    if (repaired > 0) {
      counters.repairs.increment();
    }
    LOG.info("bus={} {}: emptied the memory layers of {} of {} caches", transport.describe(), why, repaired,
        links.size());
  }

  /** Stops heartbeats, sends what is queued (briefly), unsubscribes. */
  @Override
  public void close() {
    timer.shutdownNow();
    publisher.publish(BusMessage.Action.LEAVE, "", 0L, List.of(), null);
    publisher.close();
    transport.close();
  }
}
