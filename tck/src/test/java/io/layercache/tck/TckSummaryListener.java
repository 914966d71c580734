package io.layercache.tck;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Prints one summary line per TCK run, e.g.
 * {@code TCK[memory]: 479 tests, 479 passed, 0 failed, 0 errors, 0 skipped}.
 *
 * <p>Registered with surefire's {@code listener} property, so it runs inside the forked test JVM
 * of one surefire execution and sees every TCK class that execution runs. System properties it
 * reads (set per execution in tck/pom.xml; nothing else reads them):
 * <ul>
 *   <li>{@code layercache.tck.stack}: the label, e.g. {@code memory};
 *       {@code layercache.tck.label.suffix} is appended to it;</li>
 *   <li>{@code layercache.tck.output}: file that receives everything the TCK and the provider
 *       print to System.out/System.err during the run (the console gets the summary only);</li>
 *   <li>{@code layercache.tck.expected.tests}: if set, a run with another number of tests fails
 *       (guards against a misconfigured scan silently running part of the TCK).</li>
 * </ul>
 *
 * <p>Failures are counted as surefire counts them: an {@link AssertionError} is a failure, any
 * other throwable an error; assumption failures and ignored tests are skipped. Surefire fails
 * the build on any failure or error.
 *
 * <p>The run also fails when the TCK would silently skip tests (it reports a skipped TCK test as
 * passed): when the classpath resource {@code ExcludeList} names anything but the TCK's canary
 * {@code org.jsr107.tck.CachingTest#dummyTest} (an unconditional {@code fail()}), or when an unwrap
 * class property ({@link #UNWRAP_PROPERTIES}) is unset or names a class that cannot be loaded.
 */
public final class TckSummaryListener extends RunListener {

  /** The only exclude-list entry allowed: the TCK's self-check that always fails. */
  static final String CANARY = "org.jsr107.tck.CachingTest#dummyTest";

  /** Properties naming the implementation classes for the unwrap tests (TestSupport). */
  static final List<String> UNWRAP_PROPERTIES =
      List.of("javax.cache.CacheManager", "javax.cache.Cache", "javax.cache.Cache.Entry");

  private static final int LISTED_PROBLEMS = 20;

  private final Set<Description> started = ConcurrentHashMap.newKeySet();
  /** Per failed test: whether its first failure was an AssertionError (failure, else error). */
  private final Map<Description, Boolean> failedTests = new ConcurrentHashMap<>();
  /** Failures outside a started test, e.g. in @BeforeClass: its tests never start. */
  private final AtomicInteger classErrors = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final List<String> problems = new ArrayList<>();
  private int recorded;

  private PrintStream originalOut;
  private PrintStream originalErr;
  private PrintStream capture;

  @Override
  public void testRunStarted(Description description) throws IOException {
    String output = System.getProperty("layercache.tck.output", "").trim();
    if (!output.isEmpty()) {
      Path file = Paths.get(output);
      Files.createDirectories(file.toAbsolutePath().getParent());
      capture = new PrintStream(new FileOutputStream(file.toFile()), true, "UTF-8");
      originalOut = System.out;
      originalErr = System.err;
      System.setOut(capture);
      System.setErr(capture);
    }
  }

  @Override
  public void testStarted(Description description) {
    started.add(description);
  }

  @Override
  public void testFailure(Failure failure) {
    // A test can report several failures (its body, then an @After); count the test once.
    Description test = failure.getDescription();
    if (!started.contains(test)) {
      classErrors.incrementAndGet();
      record(failure);
    } else if (failedTests.putIfAbsent(test, failure.getException() instanceof AssertionError)
        == null) {
      record(failure);
    }
  }

  @Override
  public void testAssumptionFailure(Failure failure) {
    skipped.incrementAndGet();
  }

  @Override
  public void testIgnored(Description description) {
    // an ignored test is never started
    started.add(description);
    skipped.incrementAndGet();
  }

  @Override
  public void testRunFinished(Result result) throws IOException {
    if (capture != null) {
      System.setOut(originalOut);
      System.setErr(originalErr);
      capture.flush();
    }
    int total = started.size();
    int failed = 0;
    for (boolean assertion : failedTests.values()) {
      failed += assertion ? 1 : 0;
    }
    int errors = failedTests.size() - failed + classErrors.get();
    int passed = Math.max(0, total - failedTests.size() - skipped.get());
    String label = label();
    StringBuilder line = new StringBuilder()
        .append("TCK[").append(label).append("]: ")
        .append(total).append(" tests, ")
        .append(passed).append(" passed, ")
        .append(failed).append(" failed, ")
        .append(errors).append(" errors, ")
        .append(skipped.get()).append(" skipped");
    synchronized (problems) {
      for (String problem : problems) {
        line.append(System.lineSeparator()).append("  ").append(problem);
      }
      if (recorded > problems.size()) {
        line.append(System.lineSeparator()).append("  ... and ")
            .append(recorded - problems.size()).append(" more");
      }
    }
    System.out.println(line);
    System.out.flush();

    List<String> broken = new ArrayList<>();
    String expected = System.getProperty("layercache.tck.expected.tests", "").trim();
    if (!expected.isEmpty() && Integer.parseInt(expected) != total) {
      broken.add("expected " + expected + " TCK tests but " + total + " ran");
    }
    broken.addAll(illegalExclusions());
    broken.addAll(missingUnwrapClasses());
    if (!broken.isEmpty()) {
      String message = "TCK[" + label + "] run is invalid: " + String.join("; ", broken);
      System.out.println(message);
      System.out.flush();
      throw new IllegalStateException(message);
    }
  }

  /**
   * The TCK's unwrap tests need the implementation classes named by these properties. If a name is
   * missing or cannot be loaded, the TCK only logs a warning and some of those tests (e.g.
   * CacheManagerTest#testUnwrap) are skipped while being reported as passed.
   */
  static List<String> missingUnwrapClasses() {
    List<String> missing = new ArrayList<>();
    for (String property : UNWRAP_PROPERTIES) {
      String name = System.getProperty(property, "").trim();
      if (name.isEmpty()) {
        missing.add("system property " + property + " is not set");
        continue;
      }
      try {
        Class.forName(name, false, Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(property + "=" + name + " cannot be loaded (" + e + ")");
      }
    }
    return missing;
  }

  /** Entries of the TCK exclude list other than the canary; the TCK would skip them silently. */
  static List<String> illegalExclusions() throws IOException {
    String resource = System.getProperty("ExcludeList", "ExcludeList");
    List<String> illegal = new ArrayList<>();
    URL url = Thread.currentThread().getContextClassLoader().getResource(resource);
    if (url == null) {
      return illegal;
    }
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String entry = line.trim();
        if (!entry.isEmpty() && !entry.startsWith("#") && !entry.equals(CANARY)) {
          illegal.add("exclude list " + url + " excludes " + entry);
        }
      }
    }
    return illegal;
  }

  private void record(Failure failure) {
    synchronized (problems) {
      recorded++;
      if (problems.size() < LISTED_PROBLEMS) {
        Throwable e = failure.getException();
        String message = e == null ? "" : e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
        problems.add(failure.getDescription().getDisplayName() + " -> " + message);
      }
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String first = nl < 0 ? s : s.substring(0, nl);
    return first.length() > 200 ? first.substring(0, 200) + "..." : first;
  }

  private static String label() {
    String stack = System.getProperty("layercache.tck.stack", "").trim();
    String suffix = System.getProperty("layercache.tck.label.suffix", "").trim();
    return (stack.isEmpty() ? "unlabelled" : stack.toLowerCase(Locale.ROOT)) + suffix;
  }
}
