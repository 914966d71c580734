/**
 * Test fixtures for layer stacks: a shared remote layer in this JVM and a fault-injecting
 * wrapper, so the coordinator's remote paths (backfill, the accessor's breaker and degradation,
 * fail-safe, the remote soft timeout, local and distributed single-flight, fencing) get fast unit
 * tests without a server. Published as core's test jar.
 *
 * <h2>Depending on the fixtures</h2>
 * <pre>{@code
 * <dependency>
 *   <groupId>io.layercache</groupId>
 *   <artifactId>layercache-core</artifactId>
 *   <version>${project.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * The jar holds this package, {@code io.layercache.ManualTime} and the service registration of
 * the two layer types ({@code in-memory-remote}, {@code chaos}); the fixtures use nothing but
 * core and the JDK, so bring your own JUnit, AssertJ and Awaitility.
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link io.layercache.testing.InMemoryRemote}: one "Redis". {@code InMemoryRemote.create()}
 *       gives a fresh one (a random namespace, isolated from other tests); {@code remote.spec()}
 *       is its layer definition; {@code remote.store(cache)} its shared entries and leases;
 *       {@code remote.layer(cache, i)} the layer instance {@code i} built (for call counts).
 *       {@code forget()} it after the test.
 *   <li>{@link io.layercache.testing.InMemoryRemoteLayer}: keeps the Redis layer's contract:
 *       {@code REMOTE} traits, values through the core codec (copies, never shared objects; only
 *       allowed types), entries kept past expiry for the grace and fail-safe's retention,
 *       compute as a compare-and-set that may re-run its function, load leases with fencing
 *       tokens. Calls are counted per {@link io.layercache.testing.RemoteOperation}.
 *   <li>{@link io.layercache.testing.Chaos} and {@link io.layercache.testing.ChaosLayer}: a
 *       switch the test flips at run time (off, always fail, fail at random with a seed, delay,
 *       hang until released or until a call timeout) and the layer wrapper that obeys it.
 *       {@code remote.spec().withChaos(chaos)}, or {@code ChaosLayerSpec.wrap(anySpec, chaos)}.
 *   <li>{@link io.layercache.testing.CacheInstances}: cache managers standing for separate
 *       application instances; caches of the same name on the same remote share its entries.
 *   <li>{@link io.layercache.testing.RemoteStore} test controls: {@code loseLease(key)} (a holder
 *       paused past its lease), {@code interleaveBeforeNextCompareAndSet(write)} (another
 *       instance's write racing a compute), {@code size()}, {@code clear()}.
 * </ul>
 *
 * <h2>Example: two instances, the remote failing</h2>
 * <pre>{@code
 * InMemoryRemote remote = InMemoryRemote.create();
 * Chaos chaos = Chaos.create();
 * try (CacheInstances instances = new CacheInstances()) {
 *   var config = new LayerCacheConfiguration<String, String>()
 *       .setTypes(String.class, String.class)
 *       .setTimeSource(time)                                  // e.g. a ManualTime shared by both
 *       .setResilience(new ResilienceSettings(DegradationMode.GRACEFUL, 2, Duration.ofMillis(100)))
 *       .setLayers(MemoryLayerSpec.defaults(), remote.spec().withChaos(chaos));
 *   LayerCache<String, String> a = instances.newCache("users", config);
 *   LayerCache<String, String> b = instances.newCache("users", config);
 *   a.asJCache().put("k", "v");
 *   assertThat(b.asJCache().get("k")).isEqualTo("v");            // through the shared remote
 *   chaos.alwaysFail();
 *   assertThat(b.get("cold", key -> "loaded")).isEqualTo("loaded"); // graceful: no exception
 *   assertThat(remote.layer("users", 1).calls(RemoteOperation.GET)).isEqualTo(1);
 * } finally {
 *   chaos.off();                                               // frees any hung call
 *   remote.forget();
 * }
 * }</pre>
 *
 * <h2>Things to know</h2>
 * <ul>
 *   <li>Entry expiry in the store is judged by the reading cache's {@code TimeSource}, so a
 *       manual clock moves "Redis" time too; give every instance of a test the same clock.
 *       Leases and the found-nothing mark run on real time, as in Redis.
 *   <li>A held lease never lapses (its holder "renews" it until it closes); take it away with
 *       {@code RemoteStore.loseLease}. The found-nothing mark lasts 100 ms as in Redis;
 *       {@code withFoundNothingMark} lengthens it for tests on a busy machine.
 *   <li>The breaker runs on real time: use a short break duration and Awaitility, with a new key
 *       per probe (a key loaded while the breaker was open is served from memory, so it never
 *       reaches the layer).
 *   <li>{@code chaos.calls()} counts every call since the switch was made, faults or not: take a
 *       reading after the setup and assert the difference.
 *   <li>Switching the fault (e.g. {@code off()} in {@code @AfterEach}) releases hung calls, so
 *       background reads left by the remote soft timeout end with the test.
 *   <li>Value types outside the codec's built-in JDK types need
 *       {@code remote.spec().withCodec(CodecSettings.defaults().withAllowedClassPrefixes(...))}.
 * </ul>
 */
package io.layercache.testing;
