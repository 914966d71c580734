package io.layercache.jcache;

import io.layercache.EntryOptions;
import io.layercache.codec.Copier;
import io.layercache.coordinator.CacheCore;
import io.layercache.coordinator.Change;
import io.layercache.coordinator.Mutation;
import io.layercache.coordinator.Mutation.Decision;
import io.layercache.coordinator.WriteThroughOnce;
import io.layercache.jcache.processor.ProcessorEntry;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;

/**
 * JCache entry processors over the cache core: a processor runs in the key's atomic section on
 * a {@link ProcessorEntry}, and its net effect becomes the {@link Mutation} the core applies,
 * calling the writer where JCache says.
 *
 * <ul>
 *   <li>Read-through: a processor that reads an absent key is run again. Its first run is
 *       abandoned (nothing changed), the value is fetched outside the key's section through the
 *       core's single-flight (joining a load in flight, never a second loader call), and the
 *       second run stores it as a processor load.
 *   <li>The writer runs once per invocation, whatever the remote layer's retries.
 * </ul>
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class EntryProcessing<K, V> {

  private final CacheCore<K, V> core;
  private final Copier copier;
  private final WriteThrough<K, V> writeThrough;
  private final OperationTimer timer;
  private final ReadThrough<K, V> readThrough;
  private final EntryOptions defaultOptions;

  /** @param readThrough the cache loader when the cache reads through, else null */
  EntryProcessing(CacheCore<K, V> core, Copier copier, WriteThrough<K, V> writeThrough, OperationTimer timer,
      ReadThrough<K, V> readThrough, EntryOptions defaultOptions) {
    this.core = core;
    this.copier = copier;
    this.writeThrough = writeThrough;
    this.timer = timer;
    this.readThrough = readThrough;
    this.defaultOptions = defaultOptions;
  }

  /** Runs {@code processor} on {@code key} (checked by the caller) and applies its net effect. */
  <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    K storedKey = copier.copy(key);
    try {
      return process(storedKey, processor, readThrough != null ? NeedsLoad::thrower : null, arguments);
    } catch (NeedsLoad needed) {
      // The processor read an absent key: load it outside the key's section (once per JVM, joining
      // a load in flight), then run the processor again with that value.
      return core.fetch(key, readThrough.single(), loaded -> process(storedKey, processor, k -> loaded, arguments));
    }
  }

  /** Runs the processor in the key's atomic section and applies its net effect. */
  private <T> T process(K storedKey, EntryProcessor<K, V, T> processor, java.util.function.Function<K, V> readThrough,
      Object... arguments) {
    Object[] result = new Object[1];
    WriteThroughOnce once = writeThrough.newOperation();
    Mutation.Outcome<V> outcome = core.mutate(storedKey, live -> {
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(storedKey, copier.copy(live), readThrough);
      try {
        result[0] = processor.process(entry, arguments);
      } catch (NeedsLoad | EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      return decisionOf(storedKey, entry, once);
    }, defaultOptions, Change.Origin.WRITE);
    timer.countRead(outcome.previous() != null);
    @SuppressWarnings("unchecked")
    T typed = (T) result[0];
    return typed;
  }

  /**
   * Raised inside a processor's first run when it reads an absent key of a read-through cache: the
   * run is abandoned (nothing changed) so the load can happen outside the key's section.
   */
  private static final class NeedsLoad extends javax.cache.integration.CacheLoaderException {
    private static final long serialVersionUID = 1L;
    private static final NeedsLoad INSTANCE = new NeedsLoad();

    private NeedsLoad() {
      super("the entry processor needs a load");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a signal, raised often: no stack trace to build
    }

    static <K, V> V thrower(K key) {
      throw INSTANCE;
    }
  }


  /** The decision an entry processor's net effect asks for, calling the writer where JCache says. */
  private Decision<V> decisionOf(K key, ProcessorEntry<K, V> entry, WriteThroughOnce once) {
    switch (entry.action()) {
      case NONE:
        return Decision.keep();
      case ACCESSED:
        return Decision.access();
      case LOADED:
        return Decision.put(copier.copy(entry.getValue()));
      case CREATED:
      case UPDATED:
        writeThrough.write(once, key, entry.getValue());
        return Decision.put(copier.copy(entry.getValue()));
      case REMOVED:
        writeThrough.delete(once, key);
        return Decision.remove();
      default:
        throw new IllegalStateException("Unknown entry action " + entry.action());
    }
  }
}
