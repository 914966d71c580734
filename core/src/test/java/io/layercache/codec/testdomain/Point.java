package io.layercache.codec.testdomain;

/** A record; its canonical constructor validates. */
public record Point(int x, int y) {
  public Point {
    if (x < 0) {
      throw new IllegalArgumentException("x < 0");
    }
  }
}
