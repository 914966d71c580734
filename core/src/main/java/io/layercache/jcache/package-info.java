/**
 * The JCache (JSR-107) adapter: provider, cache manager and the cache facade over a layer stack.
 */
package io.layercache.jcache;
