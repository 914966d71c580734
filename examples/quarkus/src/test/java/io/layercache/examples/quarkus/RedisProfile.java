package io.layercache.examples.quarkus;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** Runs the application on {@code layercache-redis.conf} against {@link RedisResource}'s server. */
public class RedisProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(RedisResource.class));
  }
}
