package io.layercache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * A Lua script kept as a resource ({@code io/layercache/redis/lua/NAME.lua}, whose header lists
 * KEYS, ARGV and the reply), called by SHA. The script is loaded only when Redis answers
 * {@code NOSCRIPT} (first use, or after a restart or failover emptied the script cache).
 */
final class LuaScripts {

  private final String source;
  private final String sha;
  private final String name;

  private LuaScripts(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** Reads the script {@code name} from the resources. */
  static LuaScripts load(String name) {
    String path = "/io/layercache/redis/lua/" + name + ".lua";
    try (InputStream in = LuaScripts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + path);
      }
      return new LuaScripts(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the script on the node owning {@code keys.get(0)} (all keys must share its hash slot)
   * and returns its integer reply, waiting through {@code await} so the caller's deadline bounds it.
   */
  long run(RedissonClient client, Awaiter await, List<Object> keys, byte[]... args) {
    return this.<Long>call(client, await, keys, RScript.ReturnType.LONG, args);
  }

  /**
   * {@link #run} for a script that replies with an array: integers come as {@code Long}, strings
   * as {@code byte[]}.
   */
  List<Object> runForList(RedissonClient client, Awaiter await, List<Object> keys, byte[]... args) {
    return this.<List<Object>>call(client, await, keys, RScript.ReturnType.LIST, args);
  }

  private <T> T call(RedissonClient client, Awaiter await, List<Object> keys, RScript.ReturnType type, byte[]... args) {
    RScript script = client.getScript(ByteArrayCodec.INSTANCE);
    Object[] values = args;
    String routing = (String) keys.get(0);
    try {
      return await.await(script.<T>evalShaAsync(routing, RScript.Mode.READ_WRITE, sha, type, keys, values),
          "EVALSHA " + name);
    } catch (RuntimeException e) {
      if (!isNoScript(e)) {
        throw e;
      }
      await.await(script.scriptLoadAsync(source), "SCRIPT LOAD " + name);
      return await.await(script.<T>evalShaAsync(routing, RScript.Mode.READ_WRITE, sha, type, keys, values),
          "EVALSHA " + name);
    }
  }

  /**
   * {@link #run} without blocking: the reply arrives through the returned stage (loading the
   * script first when Redis answers NOSCRIPT). For background work such as lease renewals, so one
   * slow call never delays the others.
   */
  java.util.concurrent.CompletionStage<Long> runAsync(RedissonClient client, List<Object> keys, byte[]... args) {
    RScript script = client.getScript(ByteArrayCodec.INSTANCE);
    Object[] values = args;
    String routing = (String) keys.get(0);
    return script.<Long>evalShaAsync(routing, RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LONG, keys, values)
        .handle((reply, error) -> {
          if (error == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(reply);
          }
          if (!isNoScript(error)) {
            return java.util.concurrent.CompletableFuture.<Long>failedFuture(error);
          }
          return script.scriptLoadAsync(source).thenCompose(loaded -> script.<Long>evalShaAsync(routing,
              RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LONG, keys, values)).toCompletableFuture();
        }).thenCompose(stage -> stage);
  }

  /** Waits for a Redis reply within the caller's deadline. */
  @FunctionalInterface
  interface Awaiter {
    <T> T await(org.redisson.api.RFuture<T> future, String operation);
  }

  private static boolean isNoScript(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RedisException && String.valueOf(t.getMessage()).contains("NOSCRIPT")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return name + "@" + sha;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
