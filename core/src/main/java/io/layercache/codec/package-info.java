/**
 * Turning values into copies and bytes: the store-by-value {@link io.layercache.codec.Copier}
 * (a Kryo deep copy), and the codec of the remote layers
 * ({@link io.layercache.codec.EntryCodec}, {@link io.layercache.codec.KryoEntryCodec}), which
 * writes a checked envelope around a Kryo payload and reads back only what its allow-list and
 * size limits admit. The stored format is in {@code docs/envelope-format.md}.
 */
package io.layercache.codec;
