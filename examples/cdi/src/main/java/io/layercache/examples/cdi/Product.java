package io.layercache.examples.cdi;

import java.io.Serializable;

/** A catalog entry; {@code Serializable} because JCache caches store by value by default. */
public record Product(String id, String name, long priceCents) implements Serializable {}
