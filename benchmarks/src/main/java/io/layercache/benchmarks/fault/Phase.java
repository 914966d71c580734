package io.layercache.benchmarks.fault;

/** Where a call started relative to the fault window. */
enum Phase {
  WARMUP("warm-up"),
  BEFORE("before"),
  DURING("during"),
  AFTER("after");

  final String label;

  Phase(String label) {
    this.label = label;
  }
}
