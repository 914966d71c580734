/** The in-process memory layer on Caffeine. */
package io.layercache.layer.memory;
