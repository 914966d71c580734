/**
 * Metrics: the one recorder interface every counter of a cache reports to.
 */
package io.layercache.metrics;
