package io.layercache.testsupport.coherence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link CoherenceWorker} JVM: send it commands, wait for its answers. */
public final class WorkerProcess implements AutoCloseable {

  private final int instance;
  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  WorkerProcess(int instance, Process process) {
    this.instance = instance;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "coherence-worker-" + instance);
    reader.setDaemon(true);
    reader.start();
  }

  private void readOutput() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("EOF " + e);
    }
  }

  /** The instance's index in its run. */
  public int instance() {
    return instance;
  }

  /** The JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /** Sends one command line. */
  public void send(String line) {
    try {
      commands.write(line + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("instance " + instance + " (pid " + process.pid() + ") is gone", e);
    }
  }

  /** The next output line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
  public String expect(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = next(deadline, prefix);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** The next output line, whatever it is; fails after the deadline. */
  String next(long deadline, String awaited) {
    try {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException("instance " + instance + " (pid " + process.pid() + ") printed no '" + awaited
            + "' in time" + (process.isAlive() ? "" : "; it exited with " + process.exitValue()) + " (see its log)");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      send("EXIT");
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (UncheckedIOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
