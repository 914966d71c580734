package io.layercache.layer;

import java.util.List;

/**
 * Shared tag timestamps: the optional capability of a shared layer that makes tag invalidation
 * durable and visible to every instance (the "tag timestamps" model).
 *
 * <p>Invalidating a tag stores the stamp of the invalidation (a write stamp: microseconds since
 * the epoch); an entry carrying the tag whose {@link StoredEntry#writtenAt()} is older is dead,
 * wherever it is stored. The coordinator keeps a local copy of the stamps it has read and asks the
 * layer again only when its copy is older than {@code tags.refresh-interval}, so most reads of a
 * tagged entry cost no remote call, and no read of an untagged entry ever does.
 *
 * <ul>
 *   <li>A stamp never goes down: {@link #raise} keeps the larger of the stored and the given stamp,
 *       atomically, so concurrent invalidations from several instances cannot lower it.
 *   <li>A stamp must outlive every entry it can hide. The layer keeps it at least
 *       {@link LayerContext#tagRetentionMillis()} (plus its own grace past expiry) after its last
 *       raise, and for ever when that is 0. A stamp that is gone reads as 0.
 *   <li>One tag costs one O(1) write to raise and one key to keep; no index of tagged entries.
 *   <li>Calls fail with {@link LayerFailureException} when the layer cannot be reached.
 * </ul>
 */
public interface TagTimestamps {

  /**
   * Raises the stamp of {@code tag} to at least {@code stamp}.
   *
   * @return the stamp stored now, at least {@code stamp} (larger when another raise came later)
   */
  long raise(String tag, long stamp);

  /**
   * The stamps of {@code tags}, in their order, read together (one round trip where the layer can);
   * 0 for a tag that was never invalidated or whose stamp is gone.
   */
  long[] read(List<String> tags);
}
