package io.layercache.codec;

import com.esotericsoftware.kryo.KryoException;

/**
 * Thrown by {@link BoundedInput#claim} when a payload declares more elements than it can hold.
 * Raised before the array or collection is allocated; decode reports it as
 * {@link RejectReason#CORRUPT}.
 */
final class DeclaredLengthException extends KryoException {

  DeclaredLengthException(String message) {
    super(message);
  }
}
