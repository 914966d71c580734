package io.layercache.redis;

import io.layercache.layer.LayerFailureException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import javax.cache.CacheException;
import org.redisson.RedissonKeys;
import org.redisson.ScanResult;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisClient;
import org.redisson.connection.MasterSlaveEntry;

/**
 * A walk over the keys matching a pattern with SCAN, one page ({@value #PAGE} keys
 * examined) at a time on every master (one in standalone mode). Each page, and each other Redis
 * call made for the walk, waits at most the layer's call bound; all of them together wait at
 * most {@code redis.scan-timeout}. Past either, the walk fails with a {@link LayerFailureException}
 * naming the cache, the layer and the operation. Time the caller spends between pages (an
 * application iterating slowly) does not count.
 *
 * <p>Pages come from {@link RedissonKeys#scanIteratorAsync}, the call Redisson's own key
 * iterators are built on. Its {@code getKeysAsync} iterator is not used: it reports the end of
 * the walk at the first page without a match, which a sparse pattern in a large database has.
 */
final class RedisScan implements Iterator<String> {

  /** Keys per SCAN page. */
  static final int PAGE = 500;

  private final RedissonClient client;
  private final String cacheName;
  private final long waitMillis;
  private final java.time.Duration scanTimeout;
  private final BiFunction<String, Throwable, CacheException> failure;
  private final String operation;
  private final long budgetNanos;
  /** Shared by the walks of one operation (clear walks two patterns). */
  private final long[] spentNanos;
  private final String pattern;
  private final RedissonKeys redisKeys;
  private final Iterator<MasterSlaveEntry> masters;
  private MasterSlaveEntry master;
  /** The node that answered the master's first page: a cursor is only valid there. */
  private RedisClient node;
  /** The next cursor on the current master, or null once it is walked. */
  private String cursor;
  private Iterator<Object> page = java.util.Collections.emptyIterator();
  private long seen;

  RedisScan(RedissonClient client, String cacheName, String pattern, String operation, long waitMillis,
      java.time.Duration scanTimeout, BiFunction<String, Throwable, CacheException> failure) {
    this(client, cacheName, pattern, operation, waitMillis, scanTimeout, failure, new long[1]);
  }

  private RedisScan(RedissonClient client, String cacheName, String pattern, String operation, long waitMillis,
      java.time.Duration scanTimeout, BiFunction<String, Throwable, CacheException> failure, long[] spentNanos) {
    this.client = client;
    this.cacheName = cacheName;
    this.waitMillis = waitMillis;
    this.scanTimeout = scanTimeout;
    this.failure = failure;
    this.budgetNanos = scanTimeout.toNanos();
    this.pattern = pattern;
    this.operation = operation;
    this.spentNanos = spentNanos;
    if (!(client.getKeys() instanceof RedissonKeys impl)) {
      throw new IllegalStateException("cache '" + cacheName + "': layer redis needs Redisson's own RKeys, got "
          + client.getKeys().getClass().getName());
    }
    this.redisKeys = impl;
    this.masters = List.copyOf(impl.getCommandExecutor().getConnectionManager().getEntrySet()).iterator();
  }

  /** A walk over another pattern, for the same operation and within what is left of the same budget. */
  RedisScan next(String otherPattern) {
    return new RedisScan(client, cacheName, otherPattern, operation, waitMillis, scanTimeout, failure, spentNanos);
  }

  @Override
  public boolean hasNext() {
    while (!page.hasNext()) {
      if (cursor == null) {
        if (!masters.hasNext()) {
          return false;
        }
        master = masters.next();
        node = null;
        cursor = "0";
      }
      ScanResult<Object> result = await(redisKeys.scanIteratorAsync(node, master, cursor, pattern, PAGE, null),
          "SCAN");
      node = result.getRedisClient();
      cursor = "0".equals(result.getPos()) ? null : result.getPos();
      page = result.getValues().iterator();
    }
    return true;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException();
    }
    seen++;
    return String.valueOf(page.next());
  }

  <T> T await(java.util.concurrent.CompletionStage<T> stage, String command) {
    long remaining = budgetNanos - spentNanos[0];
    if (remaining <= 0) {
      throw overBudget(command, null);
    }
    long boundNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    long waitNanos = Math.min(boundNanos, remaining);
    java.util.concurrent.CompletableFuture<T> future = stage.toCompletableFuture();
    long start = System.nanoTime();
    try {
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      if (waitNanos < boundNanos) {
        throw overBudget(command, e);
      }
      throw new LayerFailureException("cache '" + cacheName + "': layer redis: Redis did not answer " + command
          + " within " + waitMillis + " ms (" + describe() + ")", e);
    } catch (ExecutionException e) {
      throw failure.apply(command + " (" + describe() + ")", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("cache '" + cacheName + "': interrupted while waiting for Redis " + command
          + " (" + describe() + ")", e);
    } finally {
      spentNanos[0] += System.nanoTime() - start;
    }
  }

  private LayerFailureException overBudget(String command, Throwable cause) {
    return new LayerFailureException("cache '" + cacheName + "': layer redis: " + operation
        + " did not finish within redis.scan-timeout (" + scanTimeout.toMillis() + " ms), waiting for "
        + command + " (" + describe() + ")", cause);
  }

  private String describe() {
    return operation + ", SCAN " + pattern + ", " + seen + " keys so far";
  }
}
