package io.layercache.codec.forbidden;

import io.layercache.codec.GadgetProbe;

/** Stands for a deserialization gadget: a class on the class path that no setting allows. */
public class Gadget {
  static {
    GadgetProbe.INITIALIZED.set(true);
  }

  public String command = "rm -rf /";
}
