package io.layercache.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CacheWorkerMain} running in a JVM process of its own: send it commands, wait for its
 * answers, and pause (SIGSTOP) or resume (SIGCONT) the whole process.
 */
final class CacheWorker implements AutoCloseable {

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final long pid;

  private CacheWorker(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("EOF " + e);
      }
    }, "worker-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    this.pid = process.pid();
  }

  /** Starts a worker JVM on this JVM's class path; its log goes to {@code log}. */
  static CacheWorker start(String redisUri, String cacheName, Duration lease, Duration wait, Path log) {
    return start(redisUri, cacheName, lease, wait, log, false);
  }

  /** A worker whose cache, with {@code bus}, also has the (signed) Redis invalidation bus. */
  static CacheWorker start(String redisUri, String cacheName, Duration lease, Duration wait, Path log, boolean bus) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    // C1 only: workers start and warm up fast. -Dworker.fullJit=true (with -Dworker.warmUpMisses, as
    // C2 compiles later) measures them as a service runs; the stampede's figures did not move.
    if (!Boolean.getBoolean("worker.fullJit")) {
      command.add("-XX:TieredStopAtLevel=1");
    } else {
      command.add("-Dworker.warmUpMisses=" + Integer.getInteger("worker.warmUpMisses", 1_000));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CacheWorkerMain.class.getName());
    command.add(redisUri);
    command.add(cacheName);
    command.add(Long.toString(lease.toMillis()));
    command.add(Long.toString(wait.toMillis()));
    if (bus) {
      command.add("bus");
    }
    try {
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      CacheWorker worker = new CacheWorker(process);
      worker.expect("READY", Duration.ofSeconds(60));
      return worker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return pid;
  }

  /** Sends one command line. */
  void send(String line) {
    try {
      commands.write(line + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + pid + " is gone", e);
    }
  }

  /** The next output line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
  String expect(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("worker " + pid + " printed no '" + prefix + "' line within " + timeout
              + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Freezes the whole JVM (SIGSTOP): its threads, its lease renewals. */
  void pause() {
    signal("-STOP");
  }

  /** Thaws it (SIGCONT). */
  void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      resume();
      send("EXIT");
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
