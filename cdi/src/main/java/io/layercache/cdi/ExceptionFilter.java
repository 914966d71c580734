package io.layercache.cdi;

/**
 * The include/exclude test of the annotations' exception lists ({@code cachedExceptions} and
 * {@code nonCachedExceptions}, {@code cacheFor} and {@code noCacheFor}, {@code evictFor} and
 * {@code noEvictFor}), with the JSR-107 meaning:
 *
 * <ul>
 *   <li>both lists empty: {@code whenBothEmpty} (caching an exception: yes; putting or evicting
 *       after a failed call: no);</li>
 *   <li>otherwise the exception must be an instance of a class of the first list (when that list
 *       is not empty) and of none of the second.</li>
 * </ul>
 */
final class ExceptionFilter {

  private ExceptionFilter() {}

  static boolean matches(Throwable thrown, Class<? extends Throwable>[] included,
      Class<? extends Throwable>[] excluded, boolean whenBothEmpty) {
    if (included.length == 0 && excluded.length == 0) {
      return whenBothEmpty;
    }
    boolean in = included.length == 0 || isInstanceOfAny(thrown, included);
    return in && !isInstanceOfAny(thrown, excluded);
  }

  private static boolean isInstanceOfAny(Throwable thrown, Class<? extends Throwable>[] classes) {
    for (Class<? extends Throwable> type : classes) {
      if (type.isInstance(thrown)) {
        return true;
      }
    }
    return false;
  }
}
