package io.layercache.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a JMH JSON result file of the hit benchmark back into {@link RunHitBenchmark.Measured} rows. */
final class HitResultsJson {

  private HitResultsJson() {}

  /** Reads the runs of a JMH JSON result file (only the fields the tables need). */
  static List<RunHitBenchmark.Measured> read(Path file) throws java.io.IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    Config root =
        ConfigFactory.parseString(
            "{\"runs\":" + json + "}", ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    List<RunHitBenchmark.Measured> out = new ArrayList<>();
    for (ConfigObject run : root.getObjectList("runs")) {
      Config c = run.toConfig();
      ConfigObject params = (ConfigObject) run.get("params");
      ConfigObject primary = (ConfigObject) run.get("primaryMetric");
      ConfigObject secondary = (ConfigObject) run.get("secondaryMetrics");
      ConfigObject alloc = null;
      if (secondary != null) {
        for (Map.Entry<String, ConfigValue> e : secondary.entrySet()) {
          if (e.getKey().equals(RunHitBenchmark.ALLOC_NORM) || e.getKey().endsWith("\u00b7" + RunHitBenchmark.ALLOC_NORM)) {
            alloc = (ConfigObject) e.getValue();
          }
        }
      }
      out.add(
          new RunHitBenchmark.Measured(
              str(params, "impl"),
              Integer.parseInt(str(params, "keySpace")),
              str(params, "distribution"),
              c.getInt("threads"),
              str(params, "storeByValue"),
              str(params, "valueType"),
              str(primary, "scoreUnit"),
              num(primary, "score"),
              num(primary, "scoreError"),
              rawData(primary),
              alloc == null ? List.of() : rawData(alloc)));
    }
    return out;
  }

  private static String str(ConfigObject o, String key) {
    return String.valueOf(o.get(key).unwrapped());
  }

  private static double num(ConfigObject o, String key) {
    Object v = o.get(key).unwrapped();
    return v instanceof Number n ? n.doubleValue() : Double.NaN; // "NaN" is a string in JMH JSON
  }

  /** All iteration scores of all forks ({@code rawData} is a list per fork). */
  private static List<Double> rawData(ConfigObject metric) {
    List<Double> out = new ArrayList<>();
    for (Object fork : (List<?>) metric.get("rawData").unwrapped()) {
      for (Object v : (List<?>) fork) {
        out.add(((Number) v).doubleValue());
      }
    }
    return out;
  }


  /** One cell: a score, its error or range, and its unit. */
}
