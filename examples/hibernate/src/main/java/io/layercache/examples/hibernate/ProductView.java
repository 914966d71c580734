package io.layercache.examples.hibernate;

import java.math.BigDecimal;

/** What the catalog shows of a product, read in one transaction (no lazy proxies escape it). */
public record ProductView(long id, String name, BigDecimal price, String category) {
}
