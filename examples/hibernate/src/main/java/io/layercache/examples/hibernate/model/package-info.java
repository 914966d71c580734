/** The example's entities: one per cache concurrency strategy and a cached collection. */
package io.layercache.examples.hibernate.model;
