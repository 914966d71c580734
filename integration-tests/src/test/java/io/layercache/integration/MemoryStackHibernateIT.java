package io.layercache.integration;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Hibernate's second-level cache on the memory layer, store-by-value. */
class MemoryStackHibernateIT extends SecondLevelCacheContract {

  @Override
  protected URI layerCacheFile(Path directory, String name) {
    return LayerCacheFiles.memory(directory, name);
  }

  @Override
  protected List<String> expectedLayers() {
    return List.of("memory");
  }
}
