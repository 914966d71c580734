package io.layercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.Test;

class DefaultCacheKeyTest {

  @Test
  void keysWithEqualParametersAreEqualArraysIncluded() {
    DefaultCacheKey one = new DefaultCacheKey("a", 1, new int[] {1, 2});
    DefaultCacheKey two = new DefaultCacheKey("a", 1, new int[] {1, 2});

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(new DefaultCacheKey("a", 1L, new int[] {1, 2}));
    assertThat(one).isNotEqualTo(new DefaultCacheKey("a", 1));
  }

  @Test
  void theKeyCopiesTheParameterArray() {
    Object[] parameters = {"a"};
    DefaultCacheKey key = new DefaultCacheKey(parameters);

    parameters[0] = "b";

    assertThat(key).isEqualTo(new DefaultCacheKey("a"));
  }

  @Test
  void keyParametersAreTheCacheKeyOnesOrAllButTheCacheValue() throws NoSuchMethodException {
    Method marked = Shapes.class.getDeclaredMethod("marked", String.class, int.class, String.class);
    Method unmarked = Shapes.class.getDeclaredMethod("unmarked", String.class, Long.class, int.class);

    assertThat(CacheMethods.keyPositions(marked)).containsExactly(0, 2);
    assertThat(CacheMethods.keyPositions(unmarked)).containsExactly(0, 2);
    assertThat(CacheMethods.defaultCacheName(unmarked))
        .isEqualTo("io.layercache.cdi.DefaultCacheKeyTest$Shapes.unmarked(java.lang.String,java.lang.Long,int)");
  }

  @SuppressWarnings("unused")
  private static final class Shapes {
    void marked(@CacheKey String a, int b, @CacheKey String c) {}

    void unmarked(String a, @CacheValue Long value, int c) {}
  }
}
