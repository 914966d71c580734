package io.layercache.codec;

import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one payload held in a byte array, which refuses any declared length
 * the payload cannot hold <em>before</em> anything of that length is allocated.
 *
 * <p>Kryo 5.6.2 allocates whatever a payload declares: {@code readBytes(n)} does
 * {@code new byte[n]}, {@code readInts(n)} {@code new int[n]}, and {@code readString()} grows its
 * char buffer to the declared character count. Two rules stop that, both checked in
 * {@link #claim}:
 *
 * <ul>
 *   <li><b>Remaining bytes.</b> Every element takes at least one byte (a primitive array element
 *       its fixed width), so {@code count × minBytes} must fit in the bytes left.
 *   <li><b>Budget.</b> Claims over the whole decode add up to at most the payload length. In a
 *       valid payload every claimed element starts at its own byte, so a valid payload never runs
 *       out; a hostile one cannot nest large declarations inside each other to multiply what it
 *       allocates. Memory a decode pre-allocates is therefore at most about 8 bytes per payload
 *       byte.
 * </ul>
 *
 * <p>Non-guarantee: objects actually read still cost what they cost (a 16 MiB payload of small
 * objects can expand to several hundred MiB); {@code codec.max-decompressed-bytes} bounds that.
 * Elements encoded in zero bytes (a {@code final} class without fields in a non-null array) are
 * refused.
 */
final class BoundedInput extends Input {

  private static final byte[] EMPTY = new byte[0];

  private long budget;
  private int payloadLength;

  BoundedInput() {
    super(EMPTY);
  }

  /** Reads {@code length} bytes of {@code bytes} from {@code offset}, and nothing beyond. */
  void startPayload(byte[] bytes, int offset, int length) {
    setBuffer(bytes, offset, length);
    budget = length;
    payloadLength = length;
  }

  /** Drops the reference to the last payload. */
  void clear() {
    setBuffer(EMPTY);
    budget = 0;
  }

  /** The bytes not read yet. */
  int remaining() {
    return limit - position;
  }

  /**
   * Claims {@code count} elements of at least {@code minBytesEach} bytes each from the rest of
   * the payload.
   *
   * @throws DeclaredLengthException when they cannot be there
   */
  void claim(long count, int minBytesEach) {
    if (count < 0) {
      throw new DeclaredLengthException("payload declares a negative length (" + count + ")");
    }
    long bytes = count * minBytesEach;
    if (bytes > remaining()) {
      throw new DeclaredLengthException("payload declares " + count + " elements but only "
          + remaining() + " bytes remain");
    }
    if (bytes > budget) {
      throw new DeclaredLengthException("payload declares more elements in total than its "
          + payloadLength + " bytes can hold");
    }
    budget -= bytes;
  }

  /** {@link #claim} on the input the codec decodes from. */
  static void claim(Input input, long count, int minBytesEach) {
    if (!(input instanceof BoundedInput bounded)) {
      throw new IllegalStateException("the L2 codec's serializers only read from a BoundedInput");
    }
    bounded.claim(count, minBytesEach);
  }

  @Override
  public String readString() {
    claimUtf8Length();
    return super.readString();
  }

  @Override
  public StringBuilder readStringBuilder() {
    claimUtf8Length();
    return super.readStringBuilder();
  }

  /**
   * A UTF-8 string starts with its character count (flag bit 0x80 set on the first byte); Kryo
   * allocates that many chars before reading them. Peek at the count and claim one byte per char.
   * ASCII strings (flag clear) carry no count and allocate only what they actually read.
   */
  private void claimUtf8Length() {
    if (position < limit && (buffer[position] & 0x80) != 0) {
      int start = position;
      int countPlusOne = readVarIntFlag(true);
      if (countPlusOne > 1) {
        claim(countPlusOne - 1L, 1);
      } else if (countPlusOne < 0) {
        claim(countPlusOne, 1);
      }
      position = start;
    }
  }

  @Override
  public byte[] readBytes(int length) {
    claim(length, 1);
    return super.readBytes(length);
  }

  @Override
  public int[] readInts(int length) {
    claim(length, 4);
    return super.readInts(length);
  }

  @Override
  public int[] readInts(int length, boolean optimizePositive) {
    if (!varEncoding) {
      return readInts(length);
    }
    claim(length, 1);
    return super.readInts(length, optimizePositive);
  }

  @Override
  public long[] readLongs(int length) {
    claim(length, 8);
    return super.readLongs(length);
  }

  @Override
  public long[] readLongs(int length, boolean optimizePositive) {
    if (!varEncoding) {
      return readLongs(length);
    }
    claim(length, 1);
    return super.readLongs(length, optimizePositive);
  }

  @Override
  public float[] readFloats(int length) {
    claim(length, 4);
    return super.readFloats(length);
  }

  @Override
  public double[] readDoubles(int length) {
    claim(length, 8);
    return super.readDoubles(length);
  }

  @Override
  public short[] readShorts(int length) {
    claim(length, 2);
    return super.readShorts(length);
  }

  @Override
  public char[] readChars(int length) {
    claim(length, 2);
    return super.readChars(length);
  }

  @Override
  public boolean[] readBooleans(int length) {
    claim(length, 1);
    return super.readBooleans(length);
  }
}
