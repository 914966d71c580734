package io.layercache.redis;

import io.layercache.bus.BusListener;
import io.layercache.bus.BusTransport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation bus over Redis pub/sub (sharded on Cluster). At most once: a message published
 * while this instance's subscription is down is lost, so every resubscription after the first is
 * reported as an interruption and the hub repairs the memory layers.
 */
final class RedisBusTransport implements BusTransport {

  private static final Logger LOG = LoggerFactory.getLogger(RedisBusTransport.class);
  private static final long RETRY_MILLIS = 1_000;

  private final RTopic topic;
  private final String description;
  private final long subscribeWaitMillis;
  private final AtomicBoolean subscribedOnce = new AtomicBoolean();
  private volatile boolean subscribedNow;
  private volatile boolean subscribing;
  /** The first subscription came after subscribe() stopped waiting: the cache served meanwhile. */
  private volatile boolean late;
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private volatile Integer statusListener;
  private volatile Integer messageListener;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "layercache-bus-subscribe");
    thread.setDaemon(true);
    return thread;
  });

  RedisBusTransport(RedissonClient client, String channel, boolean sharded, long subscribeWaitMillis) {
    this.topic = sharded ? client.getShardedTopic(channel, ByteArrayCodec.INSTANCE)
        : client.getTopic(channel, ByteArrayCodec.INSTANCE);
    this.description = "redis " + (sharded ? "sharded " : "") + "pub/sub channel " + channel;
    this.subscribeWaitMillis = subscribeWaitMillis;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Delivery delivery() {
    return Delivery.AT_MOST_ONCE;
  }

  @Override
  public Health health() {
    if (!subscribing) {
      return new Health(true, "publish only");
    }
    return new Health(subscribedNow, subscribedNow ? "subscribed" : "not subscribed");
  }

  @Override
  public void publish(byte[] message) {
    topic.publish(message);
  }

  @Override
  public void subscribe(BusListener listener) {
    subscribing = true;
    if (!trySubscribe(listener)) {
      retry.scheduleWithFixedDelay(() -> {
        if (messageListener == null && trySubscribe(listener)) {
          LOG.info("bus={} subscribed", description);
          retry.shutdown();
        }
      }, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }
    try {
      if (!subscribed.await(subscribeWaitMillis, TimeUnit.MILLISECONDS)) {
        late = true;
        LOG.warn("bus={} not subscribed after {} ms; going on, it keeps trying", description, subscribeWaitMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Adds the listeners; false (logged) when Redis refused, to be tried again. */
  private synchronized boolean trySubscribe(BusListener listener) {
    try {
      if (statusListener == null) {
        statusListener = topic.addListener(new StatusListener() {
          @Override
          public void onSubscribe(String channel) {
            subscribedNow = true;
            if (subscribedOnce.getAndSet(true)) {
              listener.onInterrupted("resubscribed to " + channel);
            } else if (late) {
              listener.onInterrupted("subscribed to " + channel + " only after the caches started serving");
            }
            subscribed.countDown();
          }

          @Override
          public void onUnsubscribe(String channel) {
            subscribedNow = false; // a reconnect unsubscribes and subscribes again; the resubscription reports it
          }
        });
      }
      messageListener = topic.addListener(byte[].class, (channel, message) -> listener.onMessage(message));
      return true;
    } catch (RuntimeException e) {
      LOG.warn("bus={} cannot subscribe yet ({}); retrying every {} ms, memory layers stay untrusted until then",
          description, e.toString(), RETRY_MILLIS);
      return false;
    }
  }

  @Override
  public void close() {
    retry.shutdownNow();
    try {
      if (messageListener != null) {
        topic.removeListener(messageListener);
      }
      if (statusListener != null) {
        topic.removeListener(statusListener);
      }
    } catch (RuntimeException e) {
      LOG.debug("bus={} unsubscribe failed on close", description, e);
    }
  }
}
