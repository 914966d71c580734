package io.layercache.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A store-by-value cache of immutable final types needs no copier at all, so its hits cost what
 * store-by-reference hits cost; anything that may hold mutable state keeps the Kryo copier.
 */
class CopierForTypesTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void immutableFinalKeyAndValueTypesNeedNoCopies() {
    assertThat(Copier.forStoreByValue(String.class, String.class, loader)).isSameAs(Copier.IDENTITY);
    assertThat(Copier.forStoreByValue(Integer.class, Instant.class, loader)).isSameAs(Copier.IDENTITY);
  }

  @Test
  void typesThatMayHoldMutableStateAreCopied() {
    assertThat(Copier.forStoreByValue(Object.class, String.class, loader)).isInstanceOf(KryoCopier.class);
    assertThat(Copier.forStoreByValue(String.class, List.class, loader)).isInstanceOf(KryoCopier.class);
    // not final: a subclass instance could be mutable
    assertThat(Copier.forStoreByValue(String.class, BigDecimal.class, loader)).isInstanceOf(KryoCopier.class);
  }
}
