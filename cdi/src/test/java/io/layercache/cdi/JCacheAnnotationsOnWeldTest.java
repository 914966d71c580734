package io.layercache.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The interceptors on Weld SE, with no {@code CacheManager} bean: the caches come from LayerCache's
 * default cache manager ({@code application.conf} of the test resources). Each test uses keys of
 * its own, so the tests share one container and its caches.
 */
class JCacheAnnotationsOnWeldTest {

  private static WeldContainer container;
  private static Catalog catalog;
  private static CacheManager manager;

  @BeforeAll
  static void startContainer() {
    container = new Weld("jcache-annotations-" + UUID.randomUUID()).initialize();
    catalog = container.select(Catalog.class).get();
    manager = Caching.getCachingProvider(CacheMethods.LAYERCACHE_PROVIDER).getCacheManager();
  }

  @AfterAll
  static void stopContainer() {
    container.close();
  }

  @Test
  void cacheResultRunsTheMethodOncePerKey() {
    String sku = sku();

    assertThat(catalog.price(sku)).isEqualTo(sku.length() * 100L);
    assertThat(catalog.price(sku)).isEqualTo(sku.length() * 100L);
    assertThat(catalog.price(sku + "-other")).isNotNull();

    assertThat(callsOf("price", () -> catalog.price(sku))).isZero();
    assertThat(prices().get(new DefaultCacheKey(sku))).isEqualTo(sku.length() * 100L);
  }

  @Test
  void aNullResultIsNotCached() {
    int before = catalog.calls("price");

    assertThat(catalog.price("free")).isNull();
    assertThat(catalog.price("free")).isNull();

    assertThat(catalog.calls("price") - before).isEqualTo(2);
  }

  @Test
  void skipGetAlwaysCallsAndCachesTheResult() {
    String sku = sku();
    catalog.price(sku);

    assertThat(catalog.freshPrice(sku)).isEqualTo(sku.length() * 1000L);
    assertThat(callsOf("freshPrice", () -> catalog.freshPrice(sku))).isEqualTo(1);
    assertThat(prices().get(new DefaultCacheKey(sku))).isEqualTo(sku.length() * 1000L);
  }

  @Test
  void cacheKeyParametersAloneMakeTheKey() {
    String sku = sku();

    assertThat(catalog.shipping(sku, 1)).endsWith("attempt 1");
    assertThat(catalog.shipping(sku, 2)).endsWith("attempt 1");

    assertThat(manager.getCache("shipping").get(new DefaultCacheKey(sku))).isEqualTo(sku + " ships, attempt 1");
  }

  @Test
  void withoutANameTheCacheIsNamedAfterTheMethod() {
    String sku = sku();
    catalog.label(sku, 3);

    Cache<Object, Object> cache = manager.getCache("io.layercache.cdi.Catalog.label(java.lang.String,int)");
    assertThat(cache).isNotNull();
    assertThat(cache.get(new DefaultCacheKey(sku, 3))).isEqualTo(sku + "/3");
  }

  @Test
  void cacheDefaultsNamesTheCacheOfTheClass() {
    Directory directory = container.select(Directory.class).get();
    String name = sku();

    directory.lookup(name);
    directory.lookup(name);

    assertThat(directory.lookups()).isEqualTo(1);
    assertThat(manager.getCache("directory").get(new DefaultCacheKey(name))).isEqualTo(name.toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void cacheResultOnTheClassCachesEveryMethod() {
    Clock clock = container.select(Clock.class).get();
    String id = sku();
    int before = Clock.CALLS.get();

    clock.zone(id);
    clock.zone(id);

    assertThat(Clock.CALLS.get() - before).isEqualTo(1);
    assertThat(manager.getCache("zones").get(new DefaultCacheKey(id))).isEqualTo("zone " + id);
  }

  @Test
  void aCustomKeyGeneratorMakesTheKey() {
    Clock clock = container.select(Clock.class).get();
    String id = sku();
    int before = Clock.CALLS.get();

    clock.zoneAnyCase(id.toUpperCase(java.util.Locale.ROOT));
    clock.zoneAnyCase(id);

    assertThat(Clock.CALLS.get() - before).isEqualTo(1);
    assertThat(manager.getCache("zones-any-case").get(new DefaultCacheKey(id))).isEqualTo("zone " + id);
  }

  @Test
  void aCachedExceptionIsRethrownWithoutCallingTheMethod() {
    String sku = "bad-" + sku();
    assertThatThrownBy(() -> catalog.checkedPrice(sku)).isInstanceOf(IllegalArgumentException.class);

    assertThat(callsOf("checkedPrice", () -> assertThatThrownBy(() -> catalog.checkedPrice(sku))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no such sku " + sku))).isZero();
  }

  @Test
  void anExceptionInNonCachedExceptionsIsNotCached() {
    String sku = "nan-" + sku();
    assertThatThrownBy(() -> catalog.checkedPrice(sku)).isInstanceOf(NumberFormatException.class);

    assertThat(callsOf("checkedPrice", () -> assertThatThrownBy(() -> catalog.checkedPrice(sku))
        .isInstanceOf(NumberFormatException.class))).isEqualTo(1);
    assertThat(manager.getCache("price-failures").containsKey(new DefaultCacheKey(sku))).isFalse();
  }

  @Test
  void cachePutStoresTheCacheValueUnderTheOtherArguments() {
    String sku = sku();
    catalog.setPrice(sku, 42L);

    assertThat(prices().get(new DefaultCacheKey(sku))).isEqualTo(42L);
    assertThat(callsOf("price", () -> assertThat(catalog.price(sku)).isEqualTo(42L))).isZero();
  }

  @Test
  void cachePutOfNullRemovesTheEntry() {
    String sku = sku();
    catalog.setPrice(sku, 42L);

    catalog.setPrice(sku, null);

    assertThat(prices().containsKey(new DefaultCacheKey(sku))).isFalse();
  }

  @Test
  void cachePutAfterAFailedCallOnlyForTheCacheForExceptions() {
    String kept = sku();
    String dropped = sku();

    assertThatThrownBy(() -> catalog.setPriceThenFail(kept, 7L, new IllegalStateException("kept")))
        .hasMessage("kept");
    assertThatThrownBy(() -> catalog.setPriceThenFail(dropped, 7L, new IllegalArgumentException("dropped")))
        .hasMessage("dropped");

    assertThat(prices().get(new DefaultCacheKey(kept))).isEqualTo(7L);
    assertThat(prices().containsKey(new DefaultCacheKey(dropped))).isFalse();
  }

  @Test
  void cacheRemoveRemovesTheEntryAfterTheCall() {
    String sku = sku();
    catalog.price(sku);

    catalog.forget(sku);

    assertThat(prices().containsKey(new DefaultCacheKey(sku))).isFalse();
    assertThat(callsOf("price", () -> catalog.price(sku))).isEqualTo(1);
  }

  @Test
  void cacheRemoveBeforeTheCallRemovesEvenWhenTheCallFails() {
    String sku = sku();
    catalog.price(sku);

    assertThatThrownBy(() -> catalog.forgetThenFail(sku)).isInstanceOf(IllegalStateException.class);

    assertThat(prices().containsKey(new DefaultCacheKey(sku))).isFalse();
  }

  @Test
  void cacheRemoveAfterAFailedCallKeepsTheEntryWithoutEvictFor() {
    String sku = sku();
    catalog.price(sku);

    assertThatThrownBy(() -> catalog.failToForget(sku)).isInstanceOf(IllegalStateException.class);

    assertThat(prices().containsKey(new DefaultCacheKey(sku))).isTrue();
  }

  @Test
  void cacheRemoveAllEmptiesTheCache() {
    String sku = sku();
    catalog.price(sku);

    catalog.forgetAll();

    assertThat(prices().iterator()).isExhausted();
    assertThat(callsOf("price", () -> catalog.price(sku))).isEqualTo(1);
  }

  private static Cache<Object, Object> prices() {
    return manager.getCache(Catalog.PRICES);
  }

  /** How many calls reached the method {@code name} while {@code action} ran. */
  private static int callsOf(String name, Runnable action) {
    int before = catalog.calls(name);
    action.run();
    return catalog.calls(name) - before;
  }

  private static String sku() {
    return "sku-" + UUID.randomUUID();
  }
}
