package io.layercache.metrics;

/** Passes every call to several recorders, in order (see {@link MetricsRecorder#all}). */
final class CompositeRecorder implements MetricsRecorder {

  private final MetricsRecorder[] recorders;

  CompositeRecorder(MetricsRecorder[] recorders) {
    this.recorders = recorders;
  }

  @Override
  public void recordHits(long count) {
    for (MetricsRecorder r : recorders) {
      r.recordHits(count);
    }
  }

  @Override
  public void recordMisses(long count) {
    for (MetricsRecorder r : recorders) {
      r.recordMisses(count);
    }
  }

  @Override
  public void recordPuts(long count) {
    for (MetricsRecorder r : recorders) {
      r.recordPuts(count);
    }
  }

  @Override
  public void recordRemovals(long count) {
    for (MetricsRecorder r : recorders) {
      r.recordRemovals(count);
    }
  }

  @Override
  public void recordEvictions(long count) {
    for (MetricsRecorder r : recorders) {
      r.recordEvictions(count);
    }
  }

  @Override
  public void recordGetTime(long nanos) {
    for (MetricsRecorder r : recorders) {
      r.recordGetTime(nanos);
    }
  }

  @Override
  public void recordPutTime(long nanos) {
    for (MetricsRecorder r : recorders) {
      r.recordPutTime(nanos);
    }
  }

  @Override
  public void recordRemoveTime(long nanos) {
    for (MetricsRecorder r : recorders) {
      r.recordRemoveTime(nanos);
    }
  }

  @Override
  public void recordLayer(int layer, LayerEvent event) {
    for (MetricsRecorder r : recorders) {
      r.recordLayer(layer, event);
    }
  }

  @Override
  public void recordLoad(LoadEvent event) {
    for (MetricsRecorder r : recorders) {
      r.recordLoad(event);
    }
  }
}
