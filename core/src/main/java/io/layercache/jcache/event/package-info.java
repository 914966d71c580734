/** JCache entry events: building them and delivering them to registered listeners. */
package io.layercache.jcache.event;
