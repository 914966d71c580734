package io.layercache.benchmarks.fault;

import java.util.ArrayList;
import java.util.List;

/** The expectations checked by the report; any failure makes the program exit with status 1. */
final class Checks {
  record Check(String scenario, String expectation, boolean passed, String measured) {}

  private final List<Check> checks = new ArrayList<>();

  boolean check(String scenario, String expectation, boolean passed, String measured) {
    checks.add(new Check(scenario, expectation, passed, measured));
    return passed;
  }

  List<Check> all() {
    return checks;
  }

  List<Check> failed() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }
}
