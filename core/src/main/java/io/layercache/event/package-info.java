/**
 * Typed cache events ({@link io.layercache.event.CacheEvent}) and their subscription API. These
 * complement JCache's entry listeners with what JCache cannot express: per-layer hits and
 * misses, loads, in-flight reuse, evictions and tag invalidations.
 */
package io.layercache.event;
