package io.layercache.coordinator;

import io.layercache.metrics.MetricsRecorder;
import java.util.List;

/**
 * Turns committed changes into a recorder's puts, removals and evictions: the feed is the one
 * source of those counts, whichever operation made the change.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class ChangeCounter<K, V> implements ChangeListener<K, V> {

  private final MetricsRecorder recorder;

  /** Counts into {@code recorder}. */
  public ChangeCounter(MetricsRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public boolean needsPreviousValues() {
    return false;
  }

  @Override
  public void onChanges(List<Change<K, V>> changes) {
    long puts = 0;
    long removals = 0;
    long evictions = 0;
    for (Change<K, V> change : changes) {
      if (change.isPut()) {
        puts++;
      } else if (change.type() == Change.Type.REMOVED) {
        removals++;
      } else if (change.type() == Change.Type.EVICTED) {
        evictions++;
      }
    }
    if (puts > 0) {
      recorder.recordPuts(puts);
    }
    if (removals > 0) {
      recorder.recordRemovals(removals);
    }
    if (evictions > 0) {
      recorder.recordEvictions(evictions);
    }
  }
}
