package io.layercache.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports, slots split evenly.
 * Built with {@code CLUSTER ADDSLOTSRANGE} and {@code CLUSTER MEET}; ready when every node reports
 * {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {

  private static final int SLOTS = 16_384;

  private final List<RedisServer> nodes;

  private RedisCluster(List<RedisServer> nodes) {
    this.nodes = nodes;
  }

  /** Starts three masters and joins them into a cluster. */
  public static RedisCluster start() {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000")));
      }
      int per = SLOTS / nodes.size();
      for (int i = 0; i < nodes.size(); i++) {
        int from = i * per;
        int to = i == nodes.size() - 1 ? SLOTS - 1 : from + per - 1;
        nodes.get(i).command("CLUSTER", "ADDSLOTSRANGE", String.valueOf(from), String.valueOf(to));
      }
      for (int i = 1; i < nodes.size(); i++) {
        nodes.get(0).command("CLUSTER", "MEET", "127.0.0.1", String.valueOf(nodes.get(i).port()));
      }
      awaitOk(nodes);
      return new RedisCluster(nodes);
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /** The masters. */
  public List<RedisServer> nodes() {
    return nodes;
  }

  /** The node addresses as Redis URIs. */
  public List<String> uris() {
    return nodes.stream().map(RedisServer::uri).toList();
  }

  /** Deletes every key on every node. */
  public void flushAll() {
    nodes.forEach(RedisServer::flushAll);
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }

  private static void awaitOk(List<RedisServer> nodes) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (RedisServer node : nodes) {
        String info = RespClient.text(node.command("CLUSTER", "INFO"));
        ok &= info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size());
      }
      if (ok) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new IllegalStateException("Redis Cluster did not reach cluster_state:ok within 30 s");
  }
}
