/**
 * The coordinator: the layer stack seen as one store, single-flight loads, tag barriers and the
 * write clock that orders entries against invalidations.
 */
package io.layercache.coordinator;
