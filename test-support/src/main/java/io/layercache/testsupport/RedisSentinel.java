package io.layercache.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Sentinel deployment on free loopback ports: one master, one replica and three
 * sentinels ({@code redis-sentinel} of the Debian package) with a quorum of two, so a failover
 * is decided the way production decides it, by a majority, not by the harness.
 *
 * <p>{@link #start()} returns once every sentinel knows the master, the replica and the two other
 * sentinels: a failover is possible from the first test on. {@link #killMaster()} and
 * {@link #pauseMaster()} act on the real master process and return once every sentinel names the
 * promoted replica; {@link #rejoin()} brings the former master back as a replica, so one
 * deployment serves a whole test class, failovers included.
 *
 * <p>The sentinels declare the master down after one second without an answer (production
 * settings are usually 5–30 s): a failover takes a few seconds, not half a minute.
 */
public final class RedisSentinel implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisSentinel.class);

  /** The master's name in the sentinels' configuration. */
  public static final String MASTER_NAME = "layercache-master";

  private static final int DOWN_AFTER_MILLIS = 1_000;
  /**
   * Sentinels do not start another failover of the same master within twice this, so it is kept
   * short for classes that fail over more than once; it also bounds a stuck promotion.
   */
  private static final int FAILOVER_TIMEOUT_MILLIS = 3_000;
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);
  private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(30);

  private final List<RedisServer> servers;
  private final List<RedisServer> sentinels;
  private RedisServer master;
  /** The former master, killed or paused, until {@link #rejoin()}; null when both serve. */
  private RedisServer down;

  private RedisSentinel(List<RedisServer> servers, List<RedisServer> sentinels) {
    this.servers = servers;
    this.sentinels = sentinels;
    this.master = servers.get(0);
  }

  /** Starts the master, its replica and three sentinels, and waits until they all know each other. */
  public static RedisSentinel start() {
    List<RedisServer> servers = new ArrayList<>();
    List<RedisServer> sentinels = new ArrayList<>();
    try {
      // A replica syncs at once, not after the default 5 s wait for more replicas to share the transfer.
      List<String> dataServer = List.of("--repl-diskless-sync-delay", "0");
      servers.add(RedisServer.start(dataServer));
      servers.add(RedisServer.start(dataServer));
      RedisServer master = servers.get(0);
      servers.get(1).command("REPLICAOF", "127.0.0.1", String.valueOf(master.port()));
      // The sentinels learn the replica from the master's INFO: it must be attached before they start.
      Poll.until(READY_WITHIN, "the replica to attach to " + master.port(), () -> replicationOnline(master));
      List<String> config = List.of(
          "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
          "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
          "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
          "sentinel parallel-syncs " + MASTER_NAME + " 1");
      for (int i = 0; i < 3; i++) {
        sentinels.add(RedisServer.startSentinel(config));
      }
      RedisSentinel deployment = new RedisSentinel(servers, sentinels);
      Duration took = deployment.awaitHealthy();
      LOG.info("Sentinel deployment ready in {} ms: master {}, replica {}, sentinels {}", took.toMillis(),
          master.port(), servers.get(1).port(), deployment.sentinelUris());
      return deployment;
    } catch (RuntimeException e) {
      sentinels.forEach(RedisServer::close);
      servers.forEach(RedisServer::close);
      throw e;
    }
  }

  /** The name the sentinels monitor the master under ({@code redis.master-name}). */
  public String masterName() {
    return MASTER_NAME;
  }

  /** The sentinels' addresses as Redis URIs ({@code redis.nodes} in sentinel mode). */
  public List<String> sentinelUris() {
    return sentinels.stream().map(RedisServer::uri).toList();
  }

  /** The three sentinels. */
  public List<RedisServer> sentinels() {
    return sentinels;
  }

  /** The server the sentinels name master now. */
  public synchronized RedisServer master() {
    return master;
  }

  /** The other data server: the replica, or the former master until {@link #rejoin()}. */
  public synchronized RedisServer replica() {
    return servers.get(0) == master ? servers.get(1) : servers.get(0);
  }

  /** Deletes every key (on the master; the replica follows). */
  public void flushAll() {
    master().flushAll();
  }

  /**
   * Kills the master with SIGKILL, as a crash would, and waits until every sentinel names the
   * promoted replica. Returns the time from the kill to that moment.
   */
  public Duration killMaster() {
    return failOver(RedisServer::kill, "SIGKILL");
  }

  /**
   * Freezes the master with SIGSTOP (its connections stay open and nothing answers, like a
   * partitioned or stalled host) and waits until every sentinel names the promoted replica.
   * Returns the time from the SIGSTOP to that moment.
   */
  public Duration pauseMaster() {
    return failOver(RedisServer::pause, "SIGSTOP");
  }

  /**
   * Brings the former master back as a replica of the new one (restarted empty after a kill,
   * thawed after a pause) and waits until the sentinels see both servers healthy again. Does
   * nothing when no failover happened since the last call.
   */
  public synchronized void rejoin() {
    if (down == null) {
      return;
    }
    if (down.isAlive()) {
      down.resume();
    } else {
      down.restart();
    }
    // What the sentinels would also do, some seconds later: a returning master becomes a replica.
    down.command("REPLICAOF", "127.0.0.1", String.valueOf(master.port()));
    down = null;
    Duration took = awaitHealthy();
    LOG.info("former master {} rejoined as a replica of {} in {} ms", replica().port(), master.port(), took.toMillis());
  }

  @Override
  public void close() {
    sentinels.forEach(RedisServer::close);
    servers.forEach(RedisServer::close);
  }

  private synchronized Duration failOver(Consumer<RedisServer> fault, String signal) {
    if (down != null) {
      throw new IllegalStateException("the former master " + down.port() + " has not rejoined; call rejoin() first");
    }
    RedisServer failing = master;
    RedisServer promoted = replica();
    long start = System.nanoTime();
    fault.accept(failing);
    Poll.until(FAILOVER_WITHIN, "the sentinels to promote " + promoted.port() + " after " + signal + " of "
        + failing.port(), () -> sentinels.stream().allMatch(s -> masterPort(s) == promoted.port())
        && "master".equals(RespClient.text(((List<?>) promoted.command("ROLE")).get(0))));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    master = promoted;
    down = failing;
    LOG.info("failover after {} of master {}: sentinels promoted {} in {} ms", signal, failing.port(),
        promoted.port(), took.toMillis());
    return took;
  }

  /**
   * Waits until replication is online and every sentinel names the current master, sees the
   * other server as a replica that answers, and knows the two other sentinels. The replica's
   * link state is read from the servers, not from the sentinels, which refresh it only every 10 s.
   */
  private Duration awaitHealthy() {
    RedisServer current = master;
    RedisServer other = replica();
    return Poll.until(READY_WITHIN, "the sentinels to see master " + current.port() + " with replica " + other.port(),
        () -> replicationOnline(current) && sentinels.stream().allMatch(s -> sentinelSeesHealthy(s, current, other)));
  }

  private static boolean sentinelSeesHealthy(RedisServer sentinel, RedisServer master, RedisServer replica) {
    Map<String, String> view = fields(sentinel.command("SENTINEL", "MASTER", MASTER_NAME));
    if (!"master".equals(view.get("flags")) || !String.valueOf(master.port()).equals(view.get("port"))
        || !"2".equals(view.get("num-other-sentinels"))) {
      return false;
    }
    for (Object entry : (List<?>) sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME)) {
      Map<String, String> known = fields(entry);
      if (String.valueOf(replica.port()).equals(known.get("port"))) {
        return "slave".equals(known.get("flags"));
      }
    }
    return false;
  }

  private static int masterPort(RedisServer sentinel) {
    List<?> address = (List<?>) sentinel.command(Duration.ofMillis(500), "SENTINEL", "GET-MASTER-ADDR-BY-NAME",
        MASTER_NAME);
    return Integer.parseInt(RespClient.text(address.get(1)));
  }

  private static boolean replicationOnline(RedisServer master) {
    String info = RespClient.text(master.command("INFO", "replication"));
    return info.contains("role:master") && info.contains("connected_slaves:1") && info.contains("state=online");
  }

  /** A flat field/value reply as a map. */
  private static Map<String, String> fields(Object reply) {
    List<?> flat = (List<?>) reply;
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(RespClient.text(flat.get(i)), RespClient.text(flat.get(i + 1)));
    }
    return map;
  }
}
