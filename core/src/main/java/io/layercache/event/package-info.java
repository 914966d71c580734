/**
 * Typed cache events ({@link io.layercache.event.CacheEvent}) and their subscription API. These
 * complement JCache's entry listeners with what JCache cannot express: per-layer hits and
 * misses, loads, in-flight reuse, evictions and tag invalidations.
 */
@NullMarked
package io.layercache.event;

import org.jspecify.annotations.NullMarked;
