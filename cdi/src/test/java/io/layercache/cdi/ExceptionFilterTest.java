package io.layercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExceptionFilterTest {

  private static final Class<? extends Throwable>[] NONE = classes();

  @Test
  void bothListsEmptyGiveTheDefault() {
    assertThat(ExceptionFilter.matches(new RuntimeException(), NONE, NONE, true)).isTrue();
    assertThat(ExceptionFilter.matches(new RuntimeException(), NONE, NONE, false)).isFalse();
  }

  @Test
  void anIncludedListAdmitsItsClassesAndTheirSubclassesOnly() {
    Class<? extends Throwable>[] included = classes(IllegalArgumentException.class);

    assertThat(ExceptionFilter.matches(new NumberFormatException(), included, NONE, false)).isTrue();
    assertThat(ExceptionFilter.matches(new IllegalStateException(), included, NONE, true)).isFalse();
  }

  @Test
  void anExcludedClassWinsOverAnIncludedSuperclass() {
    Class<? extends Throwable>[] included = classes(IllegalArgumentException.class);
    Class<? extends Throwable>[] excluded = classes(NumberFormatException.class);

    assertThat(ExceptionFilter.matches(new NumberFormatException(), included, excluded, true)).isFalse();
    assertThat(ExceptionFilter.matches(new IllegalArgumentException(), included, excluded, true)).isTrue();
    assertThat(ExceptionFilter.matches(new IllegalStateException(), NONE, excluded, false)).isTrue();
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  private static Class<? extends Throwable>[] classes(Class<? extends Throwable>... classes) {
    return classes;
  }
}
