package io.layercache.coordinator;

import io.layercache.layer.StoredEntry;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a JCache {@link ExpiryPolicy} exactly as the specification says, turning durations
 * into absolute expiry times.
 *
 * <ul>
 *   <li>Creation: {@code null} or a failing policy means eternal; {@link Duration#ZERO} means the
 *       entry is expired at once (so it is never stored).
 *   <li>Update and access: {@code null} or a failing policy leaves the expiry unchanged;
 *       {@link Duration#ZERO} expires the entry now.
 *   <li>Policies known never to change expiry on access skip the call on the read path.
 * </ul>
 */
public final class ExpiryRules {

  private static final Logger LOG = LoggerFactory.getLogger(ExpiryRules.class);

  private final ExpiryPolicy policy;
  private final boolean accessMayChangeExpiry;
  private final boolean eternal;

  /** Rules applying {@code policy}. */
  public ExpiryRules(ExpiryPolicy policy) {
    this.policy = policy;
    this.eternal = policy instanceof EternalExpiryPolicy;
    this.accessMayChangeExpiry = !(eternal || policy instanceof CreatedExpiryPolicy
        || policy instanceof ModifiedExpiryPolicy);
  }

  /** The policy applied. */
  public ExpiryPolicy policy() {
    return policy;
  }

  /** True when the policy gives every entry an unlimited life. */
  boolean isEternal() {
    return eternal;
  }

  /** The expiry time of a new entry. */
  long onCreation(long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForCreation();
    } catch (RuntimeException e) {
      LOG.warn("Expiry policy {} failed on creation; the entry will not expire", policy, e);
      return StoredEntry.ETERNAL;
    }
    return duration == null ? StoredEntry.ETERNAL : expireAt(duration, now);
  }

  /** The expiry time of an updated entry. */
  long onUpdate(long current, long now) {
    Duration duration;
    try {
      duration = policy.getExpiryForUpdate();
    } catch (RuntimeException e) {
      LOG.warn("Expiry policy {} failed on update; the expiry is unchanged", policy, e);
      return current;
    }
    return duration == null ? current : expireAt(duration, now);
  }

  /** The expiry time of an entry that was read, or {@code current} when unchanged. */
  long onAccess(long current, long now) {
    if (!accessMayChangeExpiry) {
      return current;
    }
    Duration duration;
    try {
      duration = policy.getExpiryForAccess();
    } catch (RuntimeException e) {
      LOG.warn("Expiry policy {} failed on access; the expiry is unchanged", policy, e);
      return current;
    }
    return duration == null ? current : expireAt(duration, now);
  }

  /**
   * True when an update gets the same expiry a creation would (eternal, modified and touched
   * policies), so a put need not know whether the key existed.
   */
  boolean updateIsCreation() {
    return eternal || policy instanceof ModifiedExpiryPolicy || policy instanceof TouchedExpiryPolicy;
  }

  /** True when reads never change expiry, so hits need not consult the policy. */
  boolean accessIsNoop() {
    return !accessMayChangeExpiry;
  }

  static long expireAt(Duration duration, long now) {
    if (duration.isEternal()) {
      return StoredEntry.ETERNAL;
    }
    if (duration.isZero()) {
      return now;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    long at = now + Math.max(millis, 1);
    return at < now ? StoredEntry.ETERNAL - 1 : at;
  }
}
