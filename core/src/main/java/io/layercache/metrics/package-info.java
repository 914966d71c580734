/**
 * Metrics: the one recorder interface every counter of a cache reports to.
 */
@NullMarked
package io.layercache.metrics;

import org.jspecify.annotations.NullMarked;
