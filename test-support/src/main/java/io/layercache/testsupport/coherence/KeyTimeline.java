package io.layercache.testsupport.coherence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states one key went through in a run, each with the time it may have become current and the
 * time it was certainly replaced: what a read of the key may return, and how stale a value is.
 *
 * <p>The states come from the owner's changes (in version order, one after the other) and from tag
 * invalidations, which any instance makes at any time:
 *
 * <ul>
 *   <li>A write of version v may be current from its start; it is certainly replaced when the
 *       owner's next successful change returns, or when a successful invalidation of its tag that
 *       began more than the stamp slack after the write returned, returns.
 *   <li>The key reads as absent before its first write, from a removal's start, and from the
 *       start of an invalidation (of any outcome) of a tag a current write carries, until a
 *       successful write returns that the invalidation cannot hide (it began more than the slack
 *       after the invalidation returned).
 *   <li>A failed change may or may not have been applied: it may be current, it replaces nothing.
 * </ul>
 *
 * <p>The stamp slack exists because tag invalidations hide entries by write stamp, and stamps
 * follow each instance's wall clock in milliseconds: a write and an invalidation less than the
 * slack apart on two instances may be ordered either way.
 */
final class KeyTimeline {

  /** Never replaced. */
  static final long NEVER = Long.MAX_VALUE;

  /** A verdict of a read that returned a state no change of the key ever produced. */
  static final long PHANTOM = -1;

  /** When a state may have become current, and when it certainly no longer was. */
  private record Span(long from, long replacedAt) {}

  private final List<Op> changes;
  private final Map<Long, List<Span>> spans = new HashMap<>();

  /**
   * @param changes the key's writes and removals, by version
   * @param tagInvalidations every tag invalidation of the run, by tag
   * @param slackNanos how far apart a write and an invalidation on two instances must be to be ordered
   */
  KeyTimeline(List<Op> changes, Map<String, List<Op>> tagInvalidations, long slackNanos) {
    this.changes = changes;
    add(Op.ABSENT, Long.MIN_VALUE, nextVisibleWrite(-1, Long.MIN_VALUE));
    for (int i = 0; i < changes.size(); i++) {
      Op change = changes.get(i);
      if (change.kind() == Op.Kind.REMOVE) {
        add(Op.ABSENT, change.start(), nextVisibleWrite(i, Long.MIN_VALUE));
        continue;
      }
      List<Op> invalidations = change.tag() == null ? List.of() : tagInvalidations.getOrDefault(change.tag(), List.of());
      long ownerReplaced = nextSuccess(i);
      long replacedAt = ownerReplaced;
      for (Op invalidation : invalidations) {
        boolean certainlyAfter = invalidation.start() > change.end() + slackNanos;
        if (certainlyAfter && !invalidation.failed()) {
          replacedAt = Math.min(replacedAt, invalidation.end());
        }
        boolean mayHide = change.start() < invalidation.end() + slackNanos && ownerReplaced > invalidation.start();
        if (mayHide) {
          add(Op.ABSENT, Math.max(change.start(), invalidation.start()),
              nextVisibleWrite(i, invalidation.end() + slackNanos));
        }
      }
      add(change.version(), change.start(), replacedAt);
    }
  }

  private void add(long state, long from, long replacedAt) {
    spans.computeIfAbsent(state, s -> new ArrayList<>()).add(new Span(from, replacedAt));
  }

  /** When the first successful change after index {@code i} returned. */
  private long nextSuccess(int i) {
    for (int j = i + 1; j < changes.size(); j++) {
      if (!changes.get(j).failed()) {
        return changes.get(j).end();
      }
    }
    return NEVER;
  }

  /** When the first successful write after index {@code i} that began after {@code notBefore} returned. */
  private long nextVisibleWrite(int i, long notBefore) {
    for (int j = i + 1; j < changes.size(); j++) {
      Op change = changes.get(j);
      if (change.kind() == Op.Kind.WRITE && !change.failed() && change.start() > notBefore) {
        return change.end();
      }
    }
    return NEVER;
  }

  /**
   * How stale {@code state} was for a read that ran from {@code start} to {@code end}: 0 when it
   * may have been current at some instant of the read; else the time from its certain replacement
   * to the read's start; {@link #PHANTOM} when no change produced it before the read ended.
   */
  long staleness(long state, long start, long end) {
    long latestReplacement = Long.MIN_VALUE;
    boolean existed = false;
    for (Span span : spans.getOrDefault(state, List.of())) {
      if (span.from() > end) {
        continue;
      }
      existed = true;
      if (span.replacedAt() >= start) {
        return 0;
      }
      latestReplacement = Math.max(latestReplacement, span.replacedAt());
    }
    return existed ? start - latestReplacement : PHANTOM;
  }

  /** The states the key may be in once every change returned. */
  List<Long> finalStates() {
    List<Long> states = new ArrayList<>();
    spans.forEach((state, list) -> {
      if (list.stream().anyMatch(span -> span.replacedAt() == NEVER)) {
        states.add(state);
      }
    });
    states.sort(null);
    return states;
  }
}
