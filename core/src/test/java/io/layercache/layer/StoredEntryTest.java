package io.layercache.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class StoredEntryTest {

  /**
   * Two instances stamp writes independently, so two different writes can share a stamp. Treating
   * them as one write once made a stale local value stand in for a newer remote one and lost
   * increments of a cross-instance entry processor (MemoryRedisStackIT).
   */
  @Test
  void writesSharingAStampButNotAValueAreDifferentWrites() {
    StoredEntry<Integer> mine = StoredEntry.of(5, StoredEntry.ETERNAL, 1_000L, Set.of());
    StoredEntry<Integer> theirs = StoredEntry.of(6, StoredEntry.ETERNAL, 1_000L, Set.of());
    assertThat(mine.isSameWriteAs(theirs)).isFalse();
  }

  @Test
  void aDecodedCopyOrACappedCopyIsTheSameWrite() {
    StoredEntry<String> written = StoredEntry.of("v", 10_000L, 1_000L, Set.of("t"));
    StoredEntry<String> decoded = StoredEntry.of(new String("v"), 10_000L, 1_000L, Set.of("t"));
    assertThat(written.isSameWriteAs(decoded)).isTrue();
    assertThat(written.isSameWriteAs(written.withExpireAt(5_000L))).isTrue();
    assertThat(written.isSameWriteAs(null)).isFalse();
  }
}
