package io.layercache.testsupport.coherence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The analysis on synthetic histories whose stale reads are known: instance 0 owns key {@code k}
 * (writes with tag {@code t}), instances 1 and 2 read it and invalidate tags. Times in ms.
 */
class HistoryAnalyzerTest {

  private static final Duration BOUND = Duration.ofMillis(50);
  private final List<Op> ops = new ArrayList<>();
  private final List<Op> finals = new ArrayList<>();

  private static long ms(double millis) {
    return Math.round(millis * 1_000_000);
  }

  private void write(long version, double start, double end) {
    ops.add(Op.write(0, "k", "t", version, ms(start), ms(end), false));
  }

  private void failedWrite(long version, double start, double end) {
    ops.add(Op.write(0, "k", "t", version, ms(start), ms(end), true));
  }

  private void remove(long version, double start, double end) {
    ops.add(Op.remove(0, "k", version, ms(start), ms(end), false));
  }

  private void invalidate(String tag, double start, double end) {
    ops.add(Op.tag(2, tag, ms(start), ms(end), false));
  }

  private void read(long version, double start, double end) {
    ops.add(Op.read(1, "k", version, ms(start), ms(end), false));
  }

  private void finalRead(long version) {
    finals.add(Op.read(1, "k", version, ms(10_000), ms(10_001), false));
  }

  private CoherenceReport analyze() {
    return HistoryAnalyzer.analyze(ops, finals, HistoryAnalyzer.Settings.of(BOUND));
  }

  @Test
  void aReadOfAReplacedValueLaterThanTheBoundIsReportedWithItsStaleness() {
    write(1, 0, 1);
    write(2, 10, 11);
    read(1, 71, 72);

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isEqualTo(1);
    assertThat(report.staleBeyondBound()).isEqualTo(1);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(60));
    assertThat(report.examples()).singleElement().asString().contains("instance 1 read k as v1", "replaced 60.000 ms");
    assertThat(report.coherent()).isFalse();
  }

  @Test
  void aStaleReadWithinTheBoundIsCountedButAccepted() {
    write(1, 0, 1);
    write(2, 10, 11);
    read(1, 31, 31.5);

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isEqualTo(1);
    assertThat(report.staleBeyondBound()).isZero();
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(20));
    assertThat(report.coherent()).isTrue();
  }

  @Test
  void aReadThatBeganBeforeTheNewerWriteReturnedMayReturnTheOlderValue() {
    write(1, 0, 1);
    write(2, 10, 11);
    read(1, 10.5, 12);
    read(2, 10.5, 12);
    read(2, 500, 501);

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isZero();
    assertThat(report.reads()).isEqualTo(3);
  }

  @Test
  void absentIsFreshBeforeTheFirstWriteAndAfterARemovalAndStaleAfterAWrite() {
    read(Op.ABSENT, 0, 1);
    write(1, 10, 11);
    read(Op.ABSENT, 80, 81);  // the write returned 69 ms before
    remove(2, 100, 101);
    read(Op.ABSENT, 200, 201);
    read(1, 200, 201);        // removed 99 ms before
    write(3, 300, 301);
    read(Op.ABSENT, 310, 311); // 9 ms: within the bound

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isEqualTo(3);
    assertThat(report.staleBeyondBound()).isEqualTo(2);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(99));
  }

  @Test
  void aTagInvalidationReplacesTheValuesWrittenBeforeIt() {
    write(1, 0, 1);
    invalidate("t", 10, 11);
    invalidate("other", 12, 13);
    read(Op.ABSENT, 80, 81);
    read(1, 90, 91);          // hidden 79 ms before

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isEqualTo(1);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(79));
  }

  @Test
  void aWriteAndATagInvalidationCloserThanTheStampSlackMayBeOrderedEitherWay() {
    write(1, 0, 1);
    invalidate("t", 1.5, 2);  // began 0.5 ms after the write: its stamp may be older
    write(2, 2.2, 3);         // began 0.2 ms after it: may be hidden by it
    read(1, 100, 101);        // v2 returned, so v1 is replaced whatever the order
    read(2, 100, 101);
    read(Op.ABSENT, 100, 101);
    finalRead(2);
    finalRead(Op.ABSENT);

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isEqualTo(1);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(97));
    assertThat(report.unrepaired()).isEmpty();
  }

  @Test
  void aWriteBeganWellAfterATagInvalidationIsVisible() {
    write(1, 0, 1);
    invalidate("t", 10, 11);
    write(2, 20, 21);
    read(Op.ABSENT, 100, 101);
    finalRead(Op.ABSENT);

    CoherenceReport report = analyze();

    assertThat(report.staleBeyondBound()).isEqualTo(1);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(79));
    assertThat(report.unrepaired()).singleElement().asString().contains("instance 1 read k as absent", "[v2]");
  }

  @Test
  void aFailedWriteMayOrMayNotHaveBeenApplied() {
    write(1, 0, 1);
    failedWrite(2, 10, 510);
    read(1, 600, 601);
    read(2, 600, 601);
    finalRead(1);
    finalRead(2);

    CoherenceReport report = analyze();

    assertThat(report.staleReads()).isZero();
    assertThat(report.unrepaired()).isEmpty();
  }

  @Test
  void aFinalReadOfAnythingButTheLastStateIsUnrepaired() {
    write(1, 0, 1);
    write(2, 10, 11);
    finalRead(2);
    finalRead(1);
    finals.add(Op.read(2, "k", Op.ABSENT, ms(10_000), ms(10_001), true));
    finals.add(Op.read(2, "never-written", Op.ABSENT, ms(10_000), ms(10_001), false));

    CoherenceReport report = analyze();

    assertThat(report.unrepaired()).containsExactly("instance 1 read k as v1, expected one of [v2]",
        "instance 2 read k as an error, expected one of [v2]");
    assertThat(report.coherent()).isFalse();
    assertThat(report.instances()).isEqualTo(3);
  }

  @Test
  void instancesThatEndWithDifferentAcceptableStatesAreReportedAsDivergent() {
    write(1, 0, 1);
    failedWrite(2, 10, 510); // Redis may still have applied it after the client gave up
    finalRead(1);
    finals.add(Op.read(2, "k", 2, ms(10_000), ms(10_001), false));
    finals.add(Op.read(0, "k", 2, ms(10_000), ms(10_001), false));

    CoherenceReport report = analyze();

    assertThat(report.unrepaired()).isEmpty();
    assertThat(report.divergent()).containsExactly("k read by instance as {0=v2, 1=v1, 2=v2}");
    assertThat(report.coherent()).isFalse();
  }

  @Test
  void aVersionNeverWrittenOrReadBeforeItsWriteBeganIsAPhantom() {
    write(1, 0, 1);
    read(7, 5, 6);
    read(2, 5, 6);
    write(2, 10, 11);

    CoherenceReport report = analyze();

    assertThat(report.phantomReads()).isEqualTo(2);
    assertThat(report.coherent()).isFalse();
  }

  @Test
  void staleReadsInsideAFaultWindowAreReportedPerWindowAndNotAgainstTheBound() {
    write(1, 0, 1);
    write(2, 10, 11);
    read(1, 200, 201);         // inside the window: 189 ms
    read(1, 1_000, 1_001);     // outside: 989 ms
    FaultWindow window = new FaultWindow("redis paused", ms(100), ms(500));

    CoherenceReport report = HistoryAnalyzer.analyze(ops, finals,
        HistoryAnalyzer.Settings.of(BOUND).withFaults(List.of(window)));

    assertThat(report.staleReads()).isEqualTo(1);
    assertThat(report.maxStaleness()).isEqualTo(Duration.ofMillis(989));
    assertThat(report.faults()).singleElement().satisfies(fault -> {
      assertThat(fault.staleReads()).isEqualTo(1);
      assertThat(fault.maxStaleness()).isEqualTo(Duration.ofMillis(189));
      assertThat(fault.beyondBound()).isEqualTo(1);
      assertThat(fault.lastBeyondBound()).isEqualTo(ms(200));
    });
    assertThat(report.staleBeyondBound()).isEqualTo(1);
    assertThat(report.examples()).hasSize(2).last().asString().endsWith("replaced 989.000 ms before");
    assertThat(report.toString()).contains("during 'redis paused': 1 stale reads, 1 beyond the bound, max staleness "
        + "189.000 ms");
  }

  @Test
  void aHistoryWithTwoWritersOfOneKeyIsRefused() {
    write(1, 0, 1);
    ops.add(Op.write(1, "k", "t", 2, ms(5), ms(6), false));

    assertThatThrownBy(this::analyze).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one-writer");
  }

  @Test
  void operationsAndWorkloadsSurviveTheirTextForm() {
    Op op = Op.write(2, "k7", "t7", 12, 100, 250, true);
    Workload workload = Workload.defaults(Duration.ofSeconds(7)).withMix(20, 0, 5, 2).withSize(30, 500);

    assertThat(Op.parse(op.toLine())).isEqualTo(op);
    assertThat(Op.parse(Op.tag(1, "t1", 5, 6, false).toLine()).key()).isNull();
    assertThat(Workload.parse(workload.toArgument())).isEqualTo(workload);
    assertThatThrownBy(() -> new Workload(10, 1, 1, Duration.ofSeconds(1), 1, 60, 30, 20, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
