package io.layercache.integration.model;

/** Stored in Hibernate's disassembled state as the enum itself: its package must be allow-listed for Redis. */
public enum Genre {
  NOVEL,
  ESSAY
}
