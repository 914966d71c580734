package io.layercache.examples.hibernate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link CatalogNode} JVM started from this JVM's class path: ask it a command, get its reply. */
final class NodeProcess implements AutoCloseable {

  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "catalog-node-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts instance {@code name} (its bus source too); its log goes to {@code log}. */
  static NodeProcess start(String name, String jdbcUrl, URI layerCacheFile, Path log) {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        CatalogNode.class.getName(), jdbcUrl, layerCacheFile.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    builder.environment().put("INSTANCE_ID", "catalog-" + name);
    builder.environment().remove("REDIS_URL");
    try {
      NodeProcess node = new NodeProcess(name, builder.start());
      node.awaitReply("READY");
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readReplies() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(CatalogNode.REPLY)) {
          replies.add(line.substring(CatalogNode.REPLY.length()));
        }
      }
    } catch (IOException e) {
      replies.add("ERROR output closed: " + e);
    }
  }

  /** Sends one command and returns its reply; a failed command fails the test with the node's error. */
  String ask(String command) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("instance " + name + " is gone", e);
    }
    return awaitReply(command);
  }

  /** Hibernate's SQL statement count on this instance. */
  long statements() {
    return Long.parseLong(ask("COUNTERS").split(" ")[0]);
  }

  private String awaitReply(String command) {
    try {
      String reply = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (reply == null) {
        throw new AssertionError("instance " + name + " did not answer '" + command + "' within " + REPLY_TIMEOUT
            + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; see its log");
      }
      if (reply.startsWith("ERROR")) {
        throw new AssertionError("instance " + name + " failed '" + command + "': " + reply);
      }
      return reply;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      commands.write("EXIT\n");
      commands.flush();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
