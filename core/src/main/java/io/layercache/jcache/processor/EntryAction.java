package io.layercache.jcache.processor;

/** What an entry processor did to its entry, decided when it returns. */
public enum EntryAction {
  /** Nothing observable. */
  NONE,
  /** Read an existing value. */
  ACCESSED,
  /** Read a value the cache loader supplied. */
  LOADED,
  /** Set a value where none existed. */
  CREATED,
  /** Replaced an existing value. */
  UPDATED,
  /** Removed the entry. */
  REMOVED
}
