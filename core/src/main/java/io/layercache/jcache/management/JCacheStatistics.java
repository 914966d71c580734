package io.layercache.jcache.management;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The JCache statistics of one cache, exposed as the standard {@code CacheStatistics} MXBean.
 * Counted only while statistics are enabled; the cache checks that before calling.
 */
public final class JCacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder getTimeNanos = new LongAdder();
  private final LongAdder putTimeNanos = new LongAdder();
  private final LongAdder removeTimeNanos = new LongAdder();

  /** Counts {@code count} hits. */
  public void recordHits(long count) {
    hits.add(count);
  }

  /** Counts {@code count} misses. */
  public void recordMisses(long count) {
    misses.add(count);
  }

  /** Counts {@code count} puts. */
  public void recordPuts(long count) {
    puts.add(count);
  }

  /** Counts {@code count} removals. */
  public void recordRemovals(long count) {
    removals.add(count);
  }

  /** Counts {@code count} evictions. */
  public void recordEvictions(long count) {
    evictions.add(count);
  }

  /** Adds time spent in gets, since {@code startNanos}. */
  public void recordGetTime(long startNanos) {
    getTimeNanos.add(System.nanoTime() - startNanos);
  }

  /** Adds time spent in puts, since {@code startNanos}. */
  public void recordPutTime(long startNanos) {
    putTimeNanos.add(System.nanoTime() - startNanos);
  }

  /** Adds time spent in removals, since {@code startNanos}. */
  public void recordRemoveTime(long startNanos) {
    removeTimeNanos.add(System.nanoTime() - startNanos);
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
