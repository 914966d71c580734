package io.layercache.jcache.management;

import io.layercache.metrics.MetricsRecorder;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JCache statistics of one cache, exposed as the standard {@code CacheStatistics} MXBean, and
 * one of the cache's {@link MetricsRecorder}s. Counts only while statistics are enabled (one
 * volatile read per call when they are off).
 */
public final class JCacheStatistics implements CacheStatisticsMXBean, MetricsRecorder {

  private volatile boolean enabled;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getTimeNanos = new LongAdder();
  private final LongAdder putTimeNanos = new LongAdder();
  private final LongAdder removeTimeNanos = new LongAdder();

  /** Counts {@code count} hits. */
  @Override
  public void recordHits(long count) {
    if (enabled) {
      hits.add(count);
    }
  }

  /** Counts {@code count} misses. */
  @Override
  public void recordMisses(long count) {
    if (enabled) {
      misses.add(count);
    }
  }

  /** Counts {@code count} puts. */
  @Override
  public void recordPuts(long count) {
    if (enabled) {
      puts.add(count);
    }
  }

  /** Counts {@code count} removals. */
  @Override
  public void recordRemovals(long count) {
    if (enabled) {
      removals.add(count);
    }
  }

  /** Counts {@code count} evictions. */
  @Override
  public void recordEvictions(long count) {
    if (enabled) {
      evictions.add(count);
    }
  }

  /** Adds time spent in gets. */
  @Override
  public void recordGetTime(long nanos) {
    if (enabled) {
      getTimeNanos.add(nanos);
    }
  }

  /** Adds time spent in puts. */
  @Override
  public void recordPutTime(long nanos) {
    if (enabled) {
      putTimeNanos.add(nanos);
    }
  }

  /** Adds time spent in removals. */
  @Override
  public void recordRemoveTime(long nanos) {
    if (enabled) {
      removeTimeNanos.add(nanos);
    }
  }

  /** Starts or stops counting. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** True while counting. */
  public boolean isEnabled() {
    return enabled;
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    evictions.reset();
    getTimeNanos.reset();
    putTimeNanos.reset();
    removeTimeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : getCacheHits() * 100f / gets;
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    long gets = getCacheGets();
    return gets == 0 ? 0f : getCacheMisses() * 100f / gets;
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  @Override
  public long getCacheEvictions() {
    return evictions.sum();
  }

  @Override
  public float getAverageGetTime() {
    return averageMicros(getTimeNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return averageMicros(putTimeNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return averageMicros(removeTimeNanos.sum(), getCacheRemovals());
  }

  private static float averageMicros(long totalNanos, long count) {
    return count == 0 ? 0f : (totalNanos / 1000f) / count;
  }
}
