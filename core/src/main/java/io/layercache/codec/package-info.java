/**
 * Turning values into copies and bytes: the store-by-value {@link io.layercache.codec.Copier}
 * (a Kryo deep copy), and the layer codec of the remote layers.
 */
package io.layercache.codec;
