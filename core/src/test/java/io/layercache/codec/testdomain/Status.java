package io.layercache.codec.testdomain;

/** An enum, one constant with a body (an anonymous subclass). */
public enum Status {
  ACTIVE,
  SUSPENDED {
    @Override
    public String label() {
      return "suspended!";
    }
  },
  GONE;

  public String label() {
    return name().toLowerCase();
  }
}
