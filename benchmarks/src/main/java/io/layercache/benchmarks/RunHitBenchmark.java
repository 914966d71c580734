package io.layercache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GetHitBenchmark} through the JMH API with ordinary JMH command-line options (e.g.
 * {@code -f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc -rf json -rff results/get-hit.json -p impl=...}) and
 * then prints markdown tables of the results with each implementation's ratio to raw Caffeine of
 * the same row: JMH's mean score, the median of the measurement iterations and, with
 * {@code -prof gc}, the allocation per operation.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.RunHitBenchmark [--ratios-out FILE] [JMH options]
 * java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.RunHitBenchmark [--ratios-out FILE] --from-json FILE
 * </pre>
 *
 * <p>Options of its own (before the JMH options): {@code --ratios-out FILE} also writes the tables
 * to FILE; {@code --from-json FILE} runs nothing and renders the tables from a JMH JSON result
 * file ({@code -rf json}) of an earlier run.
 */
public final class RunHitBenchmark {

  private RunHitBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Path ratiosOut = null;
    Path fromJson = null;
    while (rest.size() >= 2 && rest.get(0).startsWith("--")) {
      if (rest.get(0).equals("--ratios-out")) {
        ratiosOut = Path.of(rest.get(1));
      } else if (rest.get(0).equals("--from-json")) {
        fromJson = Path.of(rest.get(1));
      } else {
        break;
      }
      rest = rest.subList(2, rest.size());
    }
    List<Measured> measured = new ArrayList<>();
    if (fromJson != null) {
      measured.addAll(HitResultsJson.read(fromJson));
    } else {
      CommandLineOptions cmd = new CommandLineOptions(rest.toArray(new String[0]));
      ChainedOptionsBuilder builder = new OptionsBuilder().parent(cmd);
      if (cmd.getIncludes().isEmpty()) {
        builder.include(GetHitBenchmark.class.getName() + "\\.");
      }
      Collection<RunResult> results = new Runner(builder.build()).run();
      for (RunResult r : results) {
        measured.add(Measured.of(r));
      }
    }
    String table = render(measured);
    System.out.println();
    System.out.println(table);
    if (ratiosOut != null) {
      if (ratiosOut.getParent() != null) {
        Files.createDirectories(ratiosOut.getParent());
      }
      Files.writeString(ratiosOut, table, StandardCharsets.UTF_8);
      System.out.println("(table written to " + ratiosOut + ")");
    }
  }

  /** The gc profiler's allocation per operation, when {@code -prof gc} was used. */
  static final String ALLOC_NORM = "gc.alloc.rate.norm";

  /**
   * One benchmark run (one parameter combination and thread count): its JMH score and error, the
   * score of every measurement iteration, and the same for the gc profiler's B/op when present.
   */
  record Measured(
      String impl,
      int keySpace,
      String distribution,
      int threads,
      String storeByValue,
      String valueType,
      String unit,
      double score,
      double error,
      List<Double> iterations,
      List<Double> allocIterations) {

    static Measured of(RunResult r) {
      var p = r.getParams();
      List<Double> iterations = new ArrayList<>();
      List<Double> alloc = new ArrayList<>();
      for (BenchmarkResult b : r.getBenchmarkResults()) {
        for (IterationResult i : b.getIterationResults()) {
          iterations.add(i.getPrimaryResult().getScore());
          Result<?> a = findSecondary(i.getSecondaryResults(), ALLOC_NORM);
          if (a != null) {
            alloc.add(a.getScore());
          }
        }
      }
      Result<?> primary = r.getPrimaryResult();
      return new Measured(
          p.getParam("impl"),
          Integer.parseInt(p.getParam("keySpace")),
          p.getParam("distribution"),
          p.getThreads(),
          p.getParam("storeByValue"),
          p.getParam("valueType"),
          primary.getScoreUnit(),
          primary.getScore(),
          primary.getScoreError(),
          iterations,
          alloc);
    }
  }

  @SuppressWarnings("rawtypes")
  private static Result<?> findSecondary(Map<String, Result> secondary, String name) {
    for (Map.Entry<String, Result> e : secondary.entrySet()) {
      // older JMH versions prefix profiler results with a middle dot
      if (e.getKey().equals(name) || e.getKey().endsWith("\u00b7" + name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** What a table shows. */
  enum Mode {
    /** JMH's score: mean of the measurement iterations ± 99.9% error, with ratios. */
    MEAN,
    /** Median (min–max) of the measurement iterations, with ratios of the medians. */
    MEDIAN,
    /** Allocation per operation (gc profiler), median (min–max) of the iterations, no ratios. */
    ALLOC
  }

  private record Cell(double score, String spread, String unit) {}

  /** The mean table, the median table and, when the gc profiler was on, the B/op table. */
  static String render(Collection<Measured> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(render(results, Mode.MEAN)).append('\n').append(render(results, Mode.MEDIAN));
    if (results.stream().anyMatch(r -> !r.allocIterations().isEmpty())) {
      sb.append('\n').append(render(results, Mode.ALLOC));
    }
    return sb.toString();
  }

  private static Cell medianCell(List<Double> values, String unit) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Cell(
        median, "(" + format(sorted.get(0)) + "–" + format(sorted.get(n - 1)) + ")", unit);
  }

  private static Cell cell(Measured r, Mode mode) {
    switch (mode) {
      case MEAN:
        return new Cell(r.score(), "± " + format(r.error()), r.unit());
      case MEDIAN:
        return medianCell(r.iterations(), r.unit());
      case ALLOC:
        return medianCell(r.allocIterations(), "B/op");
      default:
        throw new IllegalArgumentException(String.valueOf(mode));
    }
  }

  /** One table; rows are (keys, order, threads, storeByValue, value), columns the impls. */
  static String render(Collection<Measured> results, Mode mode) {
    Map<String, Map<String, Cell>> rows = new TreeMap<>();
    Set<String> seen = new LinkedHashSet<>();
    String unit = "ns/op";
    for (Measured r : results) {
      Cell c = cell(r, mode);
      if (c == null) {
        continue;
      }
      seen.add(r.impl());
      String key = String.format(Locale.ROOT, "%010d|%s|%d|%s|%s", r.keySpace(), r.distribution(), r.threads(),
          r.storeByValue(), r.valueType());
      rows.computeIfAbsent(key, k -> new TreeMap<>()).put(r.impl(), c);
      unit = c.unit();
    }
    Set<String> impls = inHitOrder(seen);
    if (impls.isEmpty()) {
      return "";
    }
    Table table = new Table(impls, impls.contains(Impls.RAW_CAFFEINE) ? Impls.RAW_CAFFEINE : impls.iterator().next(),
        mode != Mode.ALLOC);
    StringBuilder sb = new StringBuilder();
    heading(sb, mode, unit, table);
    table.header(sb);
    for (Map.Entry<String, Map<String, Cell>> e : rows.entrySet()) {
      table.row(sb, e.getKey().split("\\|"), e.getValue());
    }
    return sb.toString();
  }

  /** The implementations measured, in {@link Impls#HIT_ORDER} first, then any others. */
  private static Set<String> inHitOrder(Set<String> seen) {
    Set<String> impls = new LinkedHashSet<>();
    for (String impl : Impls.HIT_ORDER) {
      if (seen.contains(impl)) {
        impls.add(impl);
      }
    }
    impls.addAll(seen);
    return impls;
  }

  /** The table's title and the sentence that says what its cells are. */
  private static void heading(StringBuilder sb, Mode mode, String unit, Table table) {
    switch (mode) {
      case MEAN -> sb.append("### GetHitBenchmark: Cache.get hit, ").append(unit).append(", JMH score\n\n")
          .append("Cells: mean ± 99.9% error (ratio to ").append(table.baseline()).append(" of the same row).");
      case MEDIAN -> sb.append("### GetHitBenchmark: Cache.get hit, ").append(unit)
          .append(", median of the measurement iterations\n\n")
          .append("Cells: median (min–max) of all measurement iterations (ratio of the medians to ")
          .append(table.baseline())
          .append(" of the same row). Less sensitive than the mean to a burst of other load.");
      default -> sb.append("### GetHitBenchmark: allocation per Cache.get hit, ").append(unit).append(" (gc profiler, ")
          .append(ALLOC_NORM).append(")\n\n")
          .append("Cells: median (min–max) of the measurement iterations. JMH counts what every thread"
              + " of the JVM allocated during an iteration (including Caffeine's maintenance"
              + " tasks), divided by the operations. The last iteration also contains the"
              + " @TearDown(Level.Trial) work (a 4096-key check and closing the cache), which is"
              + " why the maximum can be far above the median; the median leaves it out.");
    }
    if (table.impls().stream().anyMatch(i -> i.startsWith(Impls.RAW_CAFFEINE))) {
      sb.append(" Raw Caffeine has no store-by-value mode: its storeByValue=true cells (marked *)"
          + " are by reference, the same as storeByValue=false.");
    }
  }

  /**
   * The columns of one table: the implementations, the baseline of the ratios, and whether the
   * table has ratios and the "layercache ÷ fastest JCache peer" column.
   */
  private record Table(Set<String> impls, String baseline, boolean ratios) {

    boolean layer() {
      return ratios && impls.contains(Impls.LAYERCACHE);
    }

    void header(StringBuilder sb) {
      sb.append("\n\n| keys | order | threads | storeByValue | value |");
      impls.forEach(impl -> sb.append(' ').append(impl).append(" |"));
      if (layer()) {
        sb.append(" layercache ÷ fastest JCache peer |");
      }
      sb.append("\n|---:|---|---:|---|---|").append("---:|".repeat(impls.size() + (layer() ? 1 : 0))).append('\n');
    }

    /** One row: {@code k} is (keys, order, threads, storeByValue, value). */
    void row(StringBuilder sb, String[] k, Map<String, Cell> row) {
      sb.append("| ").append(Integer.parseInt(k[0])).append(" | ").append(k[1]).append(" | ").append(k[2])
          .append(" | ").append(k[3]).append(" | ").append(k[4]).append(" |");
      Cell base = row.get(baseline);
      for (String impl : impls) {
        sb.append(' ').append(cellText(row.get(impl), base, impl, "true".equals(k[3]))).append(" |");
      }
      if (layer()) {
        sb.append(' ').append(versusFastestPeer(row)).append(" |");
      }
      sb.append('\n');
    }

    private String cellText(Cell c, Cell base, String impl, boolean storeByValue) {
      if (c == null) {
        return "–";
      }
      StringBuilder text = new StringBuilder(format(c.score())).append(' ').append(c.spread());
      if (ratios && base != null && base.score() > 0) {
        text.append(String.format(Locale.ROOT, " (%.2f×)", c.score() / base.score()));
      }
      if (impl.startsWith(Impls.RAW_CAFFEINE) && storeByValue) {
        text.append(" *");
      }
      return text.toString();
    }

    /** LayerCache's score over the fastest JCache peer's in the row (raw Caffeine is no peer). */
    private String versusFastestPeer(Map<String, Cell> row) {
      Cell lc = row.get(Impls.LAYERCACHE);
      String bestName = null;
      double best = Double.POSITIVE_INFINITY;
      for (String impl : impls) {
        Cell c = row.get(impl);
        if (c != null && !impl.equals(Impls.LAYERCACHE) && !impl.startsWith(Impls.RAW_CAFFEINE) && c.score() < best) {
          best = c.score();
          bestName = impl;
        }
      }
      if (lc == null || bestName == null || best <= 0) {
        return "–";
      }
      return String.format(Locale.ROOT, "%.2f× (%s)", lc.score() / best, bestName);
    }
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
