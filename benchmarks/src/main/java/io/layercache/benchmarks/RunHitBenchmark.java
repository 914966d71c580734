package io.layercache.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GetHitBenchmark} through the JMH API with ordinary JMH command-line options (e.g.
 * {@code -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff results/get-hit.json -p impl=...}) and then prints
 * a markdown table of the results with each implementation's ratio to raw Caffeine of the same row.
 *
 * <p>Extra option (must come first): {@code --ratios-out FILE} also writes the table to FILE.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.layercache.benchmarks.RunHitBenchmark [--ratios-out FILE] [JMH options]</pre>
 */
public final class RunHitBenchmark {

  private RunHitBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Path ratiosOut = null;
    if (rest.size() >= 2 && rest.get(0).equals("--ratios-out")) {
      ratiosOut = Path.of(rest.get(1));
      rest = rest.subList(2, rest.size());
    }
    CommandLineOptions cmd = new CommandLineOptions(rest.toArray(new String[0]));
    ChainedOptionsBuilder builder = new OptionsBuilder().parent(cmd);
    if (cmd.getIncludes().isEmpty()) {
      builder.include(GetHitBenchmark.class.getName() + "\\.");
    }
    Collection<RunResult> results = new Runner(builder.build()).run();
    String table = render(results);
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

  /** One table row: same thread count, storeByValue and valueType; one cell per impl. */
  private static final class Row {
    final Map<String, Result<?>> byImpl = new TreeMap<>();
  }

  static String render(Collection<RunResult> results) {
    Map<String, Row> rows = new TreeMap<>();
    Set<String> impls = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>();
    String unit = "ns/op";
    for (RunResult r : results) {
      var p = r.getParams();
      seen.add(p.getParam("impl"));
      String key =
          String.format(
              Locale.ROOT,
              "%d|%s|%s",
              p.getThreads(),
              p.getParam("storeByValue"),
              p.getParam("valueType"));
      rows.computeIfAbsent(key, k -> new Row()).byImpl.put(p.getParam("impl"), r.getPrimaryResult());
      unit = r.getPrimaryResult().getScoreUnit();
    }
    for (String impl : Impls.ORDER) {
      if (seen.contains(impl)) {
        impls.add(impl);
      }
    }
    impls.addAll(seen);
    String baseline = impls.contains(Impls.RAW_CAFFEINE) ? Impls.RAW_CAFFEINE : impls.iterator().next();
    boolean layer = impls.contains(Impls.LAYERCACHE);

    StringBuilder sb = new StringBuilder();
    sb.append("### GetHitBenchmark: Cache.get hit, ")
        .append(GetHitBenchmark.SIZE)
        .append(" keys, ")
        .append(unit)
        .append(" (lower is better)\n\n");
    sb.append("Cells: score ± error (ratio to ").append(baseline).append(" of the same row).");
    if (baseline.equals(Impls.RAW_CAFFEINE)) {
      sb.append(
          " Raw Caffeine has no store-by-value mode: its storeByValue=true cells (marked *) are by"
              + " reference, the same as storeByValue=false.");
    }
    sb.append("\n\n| threads | storeByValue | value |");
    for (String impl : impls) {
      sb.append(' ').append(impl).append(" |");
    }
    if (layer) {
      sb.append(" layercache ÷ fastest JCache peer |");
    }
    sb.append("\n|---|---|---|");
    for (int i = 0; i < impls.size(); i++) {
      sb.append("---:|");
    }
    if (layer) {
      sb.append("---:|");
    }
    sb.append('\n');
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      String[] k = e.getKey().split("\\|");
      Row row = e.getValue();
      Result<?> base = row.byImpl.get(baseline);
      sb.append("| ").append(k[0]).append(" | ").append(k[1]).append(" | ").append(k[2]).append(" |");
      for (String impl : impls) {
        Result<?> r = row.byImpl.get(impl);
        sb.append(' ');
        if (r == null) {
          sb.append('–');
        } else {
          sb.append(format(r.getScore())).append(" ± ").append(format(r.getScoreError()));
          if (base != null) {
            sb.append(String.format(Locale.ROOT, " (%.2f×)", r.getScore() / base.getScore()));
          }
          if (impl.equals(Impls.RAW_CAFFEINE) && "true".equals(k[1])) {
            sb.append(" *");
          }
        }
        sb.append(" |");
      }
      if (layer) {
        Result<?> lc = row.byImpl.get(Impls.LAYERCACHE);
        String bestName = null;
        double best = Double.POSITIVE_INFINITY;
        for (String impl : impls) {
          Result<?> r = row.byImpl.get(impl);
          if (r != null && !impl.equals(Impls.LAYERCACHE) && !impl.equals(Impls.RAW_CAFFEINE)
              && r.getScore() < best) {
            best = r.getScore();
            bestName = impl;
          }
        }
        sb.append(' ');
        if (lc == null || bestName == null) {
          sb.append('–');
        } else {
          sb.append(String.format(Locale.ROOT, "%.2f× (%s)", lc.getScore() / best, bestName));
        }
        sb.append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
