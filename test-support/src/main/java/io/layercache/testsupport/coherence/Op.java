package io.layercache.testsupport.coherence;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One operation of a coherence run, as the instance that ran it recorded it.
 *
 * <p>Values are versions: every key has exactly one writer (its owner instance), which writes
 * versions 1, 2, 3... one after the other, so "newer" needs no clock. A removal takes a version
 * too; it reads as {@link #ABSENT}.
 *
 * <p>{@code start} and {@code end} are {@code System.nanoTime()} readings of the instance. On one
 * Linux host that is {@code CLOCK_MONOTONIC}, one clock for every process, so histories of
 * different JVMs can be merged as they are; {@link CoherenceRun} checks it before a run.
 *
 * @param instance which instance ran it
 * @param kind     what it was
 * @param key      the key; {@code null} for a tag invalidation
 * @param tag      the tag a write stored its value with, or the tag invalidated; else {@code null}
 * @param version  the version written or removed; the version a read returned ({@link #ABSENT}
 *                 when it found nothing); 0 for a tag invalidation
 * @param start    when the call began
 * @param end      when it returned or threw
 * @param failed   it threw: a failed change may or may not have been applied
 */
public record Op(int instance, Kind kind, @Nullable String key, @Nullable String tag, long version, long start, long end,
    boolean failed) {

  /** The version of a read that found nothing. */
  public static final long ABSENT = -1;

  /** What an operation did. */
  public enum Kind {
    /** A read of one key. */
    READ,
    /** A new version of a key, by its owner (a put, or a loader's value). */
    WRITE,
    /** A removal of a key, by its owner. */
    REMOVE,
    /** {@code invalidateByTag}, by any instance. */
    TAG
  }

  /** Checks the fields that the analysis relies on. */
  public Op {
    if (end < start) {
      throw new IllegalArgumentException("an operation ends before it starts: " + start + " > " + end);
    }
    if (kind == Kind.TAG ? tag == null : key == null) {
      throw new IllegalArgumentException(kind + " needs a " + (kind == Kind.TAG ? "tag" : "key"));
    }
  }

  /** A read. */
  public static Op read(int instance, String key, long version, long start, long end, boolean failed) {
    return new Op(instance, Kind.READ, key, null, version, start, end, failed);
  }

  /** A write of {@code version} carrying {@code tag} (or none). */
  public static Op write(int instance, String key, @Nullable String tag, long version, long start, long end,
      boolean failed) {
    return new Op(instance, Kind.WRITE, key, tag, version, start, end, failed);
  }

  /** A removal, as {@code version}. */
  public static Op remove(int instance, String key, long version, long start, long end, boolean failed) {
    return new Op(instance, Kind.REMOVE, key, null, version, start, end, failed);
  }

  /** An invalidation of {@code tag}. */
  public static Op tag(int instance, String tag, long start, long end, boolean failed) {
    return new Op(instance, Kind.TAG, null, tag, 0, start, end, failed);
  }

  /** One line of a worker's history: {@code OP instance kind key tag version start end failed}. */
  public String toLine() {
    return String.format(Locale.ROOT, "OP %d %s %s %s %d %d %d %s", instance, kind, key == null ? "-" : key,
        tag == null ? "-" : tag, version, start, end, failed ? "F" : "ok");
  }

  /** The operation of a line made by {@link #toLine()}. */
  public static Op parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 9 || !f[0].equals("OP")) {
      throw new IllegalArgumentException("not an operation line: " + line);
    }
    return new Op(Integer.parseInt(f[1]), Kind.valueOf(f[2]), f[3].equals("-") ? null : f[3],
        f[4].equals("-") ? null : f[4], Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
        f[8].equals("F"));
  }
}
