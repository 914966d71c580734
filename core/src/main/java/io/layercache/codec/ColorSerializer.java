package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import java.awt.Color;

/**
 * {@link Color} as its sRGB value with alpha. Kryo's field serializer cannot reach Color's private
 * fields ({@code java.desktop} does not open {@code java.awt}), and the JCache TCK stores Colors
 * in untyped caches. Used only when {@code java.awt.Color} is allowed or registered.
 *
 * <p>Non-guarantee: a Color made in another color space comes back as its sRGB equivalent
 * ({@link Color#equals} compares exactly that value).
 */
final class ColorSerializer extends ImmutableSerializer<Color> {

  static final String CLASS_NAME = "java.awt.Color";

  @Override
  public void write(Kryo kryo, Output output, Color color) {
    output.writeInt(color.getRGB());
  }

  @Override
  public Color read(Kryo kryo, Input input, Class<? extends Color> type) {
    return new Color(input.readInt(), true);
  }
}
