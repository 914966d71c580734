package io.layercache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's class resolver with the allow-list applied at the three places a class enters:
 *
 * <ul>
 *   <li>{@link #getTypeByName} — a class name read from a payload is checked <em>before</em>
 *       {@code DefaultClassResolver.readName} calls {@code Class.forName}, so a refused class is
 *       never loaded, let alone initialized.
 *   <li>{@link #readClass} — a class id without a registration is refused as
 *       {@link ClassNotAllowedException} (Kryo would throw a generic exception).
 *   <li>{@link #registerImplicit} — writing or reading an unregistered class registers it by
 *       name; only allowed classes get there. This gives {@code setRegistrationRequired(true)}
 *       semantics for everything except the allowed prefixes.
 * </ul>
 */
final class AllowListClassResolver extends DefaultClassResolver {

  private final ClassAllowList allowList;

  AllowListClassResolver(ClassAllowList allowList) {
    this.allowList = allowList;
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  public Registration registerImplicit(Class type) {
    if (!allowList.allowsType(type)) {
      throw ClassNotAllowedException.notAllowed(type.getName());
    }
    return super.registerImplicit(type);
  }

  @Override
  @SuppressWarnings("rawtypes") // Kryo's signature
  protected Class getTypeByName(String className) {
    if (!allowList.allowsName(className)) {
      throw ClassNotAllowedException.notAllowed(className);
    }
    return super.getTypeByName(className);
  }

  @Override
  public Registration readClass(Input input) {
    int start = input.position();
    int idPlusTwo = input.readVarInt(true);
    if (idPlusTwo != Kryo.NULL && idPlusTwo != NAME + 2 && getRegistration(idPlusTwo - 2) == null) {
      throw ClassNotAllowedException.unregisteredId(idPlusTwo - 2);
    }
    input.setPosition(start);
    return super.readClass(input);
  }
}
